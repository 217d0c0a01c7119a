import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from "react";
import { ChevronDownIcon } from "../icons";

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  id?: string;
  /** Hide the label visually (it is still announced). */
  hideLabel?: boolean;
  ref?: Ref<HTMLSelectElement>;
}

/** A labelled native <select> (keyboard, mobile pickers and screen readers for free), styled like TextField. */
export function SelectField({ label, hint, error, id, hideLabel = false, className = "", children, ...rest }: SelectFieldProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  return (
    <div className={className}>
      <label htmlFor={selectId} className={hideLabel ? "sr-only" : "block text-sm font-medium text-slate-700"}>
        {label}
      </label>
      <div className={`relative ${hideLabel ? "" : "mt-1.5"}`}>
        <select
          id={selectId}
          aria-invalid={error ? true : undefined}
          aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
          className={`block h-9 w-full appearance-none rounded-md border bg-white pr-8 pl-3 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden disabled:bg-slate-50 disabled:text-slate-500 ${
            error ? "border-red-500" : "border-slate-300"
          }`}
          {...rest}
        >
          {children}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-slate-500" />
      </div>
      {error && (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}
