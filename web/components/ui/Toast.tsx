/*
 * Toasts: short confirmations ("Saved") and failures ("Couldn't move the deal") that do not block the page.
 * Two live regions stay mounted (a polite `role="status"` one and an assertive `role="alert"` one) so screen
 * readers announce a toast as soon as it is added. A toast pauses its timer while hovered or focused.
 */
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { AlertIcon, CheckIcon, CloseIcon } from "../icons";

export type ToastTone = "success" | "error" | "info";

export interface ToastOptions {
  tone?: ToastTone;
  /** A button in the toast, e.g. Undo. */
  action?: { label: string; onClick: () => void };
  /** ms before it disappears; errors stay longer. */
  duration?: number;
}

interface ToastItem extends Required<Pick<ToastOptions, "tone" | "duration">> {
  id: number;
  message: string;
  action?: ToastOptions["action"];
}

export interface ToastApi {
  show(message: string, options?: ToastOptions): number;
  success(message: string, options?: Omit<ToastOptions, "tone">): number;
  error(message: string, options?: Omit<ToastOptions, "tone">): number;
  dismiss(id: number): void;
}

const ToastContext = createContext<ToastApi | null>(null);

const MAX_VISIBLE = 4;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback((message: string, options: ToastOptions = {}) => {
    const id = nextId.current++;
    const tone = options.tone ?? "info";
    const duration = options.duration ?? (tone === "error" ? 8000 : options.action ? 7000 : 4000);
    setToasts((list) => [...list.slice(-(MAX_VISIBLE - 1)), { id, message, tone, duration, action: options.action }]);
    return id;
  }, []);
  const api = useMemo<ToastApi>(
    () => ({
      show,
      dismiss,
      success: (message, options) => show(message, { ...options, tone: "success" }),
      error: (message, options) => show(message, { ...options, tone: "error" }),
    }),
    [show, dismiss],
  );

  const polite = toasts.filter((t) => t.tone !== "error");
  const assertive = toasts.filter((t) => t.tone === "error");
  return (
    <ToastContext value={api}>
      {children}
      <div className="pointer-events-none fixed inset-x-0 bottom-0 z-[60] flex flex-col items-center gap-2 p-4 sm:items-end sm:p-6">
        <div role="alert" aria-live="assertive" className="flex w-full flex-col items-center gap-2 sm:items-end">
          {assertive.map((t) => (
            <ToastView key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </div>
        <div role="status" aria-live="polite" className="flex w-full flex-col items-center gap-2 sm:items-end">
          {polite.map((t) => (
            <ToastView key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </div>
      </div>
    </ToastContext>
  );
}

function ToastView({ toast, onDismiss }: { toast: ToastItem; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  const remaining = useRef(toast.duration);
  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = setTimeout(() => onDismiss(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(1500, remaining.current - (Date.now() - started));
    };
  }, [paused, toast.id, onDismiss]);

  const icon =
    toast.tone === "error" ? (
      <AlertIcon className="size-4 shrink-0 text-red-400" />
    ) : toast.tone === "success" ? (
      <CheckIcon className="size-4 shrink-0 text-emerald-400" />
    ) : null;
  return (
    <div
      data-toast={toast.tone}
      className="pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg ring-1 ring-black/10"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      data-surface="dark"
    >
      {icon && <span className="mt-0.5">{icon}</span>}
      <p className="min-w-0 flex-1 break-words">{toast.message}</p>
      {toast.action && (
        <button
          type="button"
          className="shrink-0 rounded font-semibold text-white underline-offset-2 hover:underline"
          onClick={() => {
            toast.action?.onClick();
            onDismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button
        type="button"
        onClick={() => onDismiss(toast.id)}
        className="-mr-1 inline-flex size-5 shrink-0 items-center justify-center rounded text-slate-400 hover:text-white"
      >
        <span className="sr-only">Dismiss</span>
        <CloseIcon className="size-3.5" />
      </button>
    </div>
  );
}

/** The toast API; outside a provider (tests, isolated renders) it degrades to no-ops. */
export function useToast(): ToastApi {
  return use(ToastContext) ?? NOOP;
}

const NOOP: ToastApi = { show: () => 0, success: () => 0, error: () => 0, dismiss: () => {} };
