import { useEffect, useRef, useState } from "react";
import { CheckIcon } from "./icons";

/** Copies `value` to the clipboard; says "Copied" for two seconds (and to screen readers). */
export function CopyButton({ value, label = "Copy", className = "" }: { value: string; label?: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState("idle"), 2000);
  }
  return (
    <button
      type="button"
      onClick={copy}
      className={`inline-flex h-8 shrink-0 items-center gap-1.5 rounded-md bg-white px-2.5 text-sm font-medium text-slate-700 shadow-xs ring-1 ring-slate-300 ring-inset hover:bg-slate-50 ${className}`}
    >
      {state === "copied" && <CheckIcon className="size-4 text-emerald-600" />}
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}</span>
    </button>
  );
}

/**
 * A secret the server returns exactly once (temporary password, API key, webhook signing secret): shown in a
 * monospace box with a copy button and a plain warning that it cannot be shown again.
 */
export function SecretReveal({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="rounded-lg border border-amber-200 bg-amber-50 p-3">
      <p className="text-sm font-medium text-amber-900">{label}</p>
      <div className="mt-2 flex items-center gap-2">
        <code
          tabIndex={0}
          aria-label={label}
          className="min-w-0 flex-1 overflow-x-auto rounded-md bg-white px-2.5 py-1.5 font-mono text-sm break-all whitespace-pre-wrap text-slate-900 ring-1 ring-amber-200 select-all"
        >
          {value}
        </code>
        <CopyButton value={value} />
      </div>
      <p className="mt-2 text-xs text-amber-800">{note ?? "It is shown only this once: copy it now and store it somewhere safe."}</p>
    </div>
  );
}
