import type { ReactNode } from "react";
import { errorMessage } from "../lib/api";
import { useBranding } from "../lib/branding";
import { BrandMark } from "./BrandMark";

/** The centred, branded card of the signed-out screens (sign in, forgot and reset password). */
export function AuthCard({ title, children, after }: { title: ReactNode; children: ReactNode; after?: ReactNode }) {
  const { productName, logoUrl } = useBranding();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <BrandMark productName={productName} logoUrl={logoUrl} className="size-10" />
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
        {after}
      </div>
    </main>
  );
}

/** The form-level error of those screens; empty (and hidden) until there is one, so it is announced when it appears. */
export function FormAlert({ error, children }: { error: unknown; children?: ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 empty:hidden">
      {error ? (children ?? errorMessage(error)) : null}
    </div>
  );
}
