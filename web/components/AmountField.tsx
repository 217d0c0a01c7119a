import { useId } from "react";
import { ChevronDownIcon } from "./icons";

/** Currencies offered in pickers; a record may carry any ISO 4217 code (imports, API). */
export const COMMON_CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "SGD", "INR", "BRL"] as const;

const LAST_CURRENCY_KEY = "bespoke.currency";

/** The currency the user picked last (per browser), else USD. */
export function preferredCurrency(): string {
  try {
    return window.localStorage.getItem(LAST_CURRENCY_KEY) ?? "USD";
  } catch {
    return "USD";
  }
}
export function rememberCurrency(currency: string): void {
  try {
    window.localStorage.setItem(LAST_CURRENCY_KEY, currency);
  } catch {
    /* a convenience only */
  }
}

/**
 * An amount typed in major units ("12,500.00") beside its currency. The caller reads it with
 * `parseMoneyInput(text, currency)` (lib/format.ts: strict, with a message to show): the API wants minor units.
 */
export function AmountField({
  label = "Amount",
  amount,
  currency,
  onAmountChange,
  onCurrencyChange,
  error,
  hint,
  className = "",
}: {
  label?: string;
  amount: string;
  currency: string;
  onAmountChange: (value: string) => void;
  onCurrencyChange: (value: string) => void;
  error?: string;
  hint?: string;
  className?: string;
}) {
  const id = useId();
  const options = COMMON_CURRENCIES.includes(currency as (typeof COMMON_CURRENCIES)[number]) ? COMMON_CURRENCIES : [currency, ...COMMON_CURRENCIES];
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={`${id}-amount`} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div
        className={`mt-1.5 flex h-9 rounded-md border bg-white shadow-xs focus-within:border-accent focus-within:ring-3 focus-within:ring-accent/25 ${
          error ? "border-red-500" : "border-slate-300"
        }`}
      >
        <input
          id={`${id}-amount`}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.00"
          value={amount}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onAmountChange(e.target.value)}
          className="tabular min-w-0 flex-1 rounded-l-md bg-transparent px-3 text-sm text-slate-900 placeholder:text-slate-400 focus:outline-none"
        />
        <div className="relative border-l border-slate-200">
          <label htmlFor={`${id}-currency`} className="sr-only">
            Currency
          </label>
          <select
            id={`${id}-currency`}
            value={currency}
            onChange={(e) => {
              onCurrencyChange(e.target.value);
              rememberCurrency(e.target.value);
            }}
            className="h-full appearance-none rounded-r-md bg-transparent pr-7 pl-2.5 text-sm text-slate-700 focus:outline-none"
          >
            {options.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2 size-3.5 -translate-y-1/2 text-slate-500" />
        </div>
      </div>
      {error && (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}
