import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

// `wrangler dev` listens on 8787 unless that port is busy (then 8788); API_PROXY_TARGET covers the second case.
const apiTarget = process.env.API_PROXY_TARGET ?? "http://localhost:8787";
const proxy = { "/api": { target: apiTarget, changeOrigin: true } };

export default defineConfig({
  root: webRoot,
  // One .env at the repository root serves the Worker scripts and the SPA; only VITE_* reaches the browser.
  envDir: repoRoot,
  plugins: [react(), tailwindcss()],
  build: {
    // Relative to `root`: the Worker's static-assets binding serves dist/web with SPA fallback.
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
  },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
});
