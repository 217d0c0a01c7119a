import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { AuthProvider, restoreSession } from "./lib/auth";
import { applyBranding, BrandingProvider, loadBranding } from "./lib/branding";
import { ToastProvider } from "./components/ui/Toast";
import { queryClient } from "./lib/query";
import { createAppRouter } from "./router";
import "./styles.css";
import "./lib/theme";

/*
 * Start-up: branding and the stored session are resolved in parallel before the first render, so the first
 * paint already has the right name, colour and signed-in state (both calls are capped by timeouts).
 */
async function start() {
  const [branding, user] = await Promise.all([loadBranding(), restoreSession()]);
  applyBranding(branding);

  const router = createAppRouter();
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrandingProvider value={branding}>
          <AuthProvider initialUser={user}>
            <ToastProvider>
              <RouterProvider router={router} />
            </ToastProvider>
          </AuthProvider>
        </BrandingProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}

void start();
