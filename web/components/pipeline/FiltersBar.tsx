import { useId, useState } from "react";
import { formatDateOnly, formatMoney, fromMinorUnits, toMinorUnits } from "../../lib/format";
import type { PipelineFilters, User } from "../../lib/api-types";
import { CloseIcon, FilterIcon } from "../icons";
import { FilterAmount } from "../lists/ListFilters";
import { RecordCombobox, type RecordOption } from "../RecordCombobox";
import { Button } from "../ui/Button";
import type { CustomField } from "../../lib/custom-fields";
import { isCustomFilterKey } from "../../lib/pipeline";
import { CustomBoardFilters, customFilterChips } from "./CustomBoardFilters";

export interface FiltersBarProps {
  filters: PipelineFilters;
  /** Core filters by name; custom ones by parameter (`custom.<key>[gte]`). Empty removes. */
  onChange: (changes: Partial<PipelineFilters> | Record<string, string | undefined>) => void;
  onClear: () => void;
  users: readonly Pick<User, "id" | "name">[];
  /** The account picked in the URL, with its name once known. */
  account: RecordOption | null;
  searchAccounts: (q: string, signal: AbortSignal) => Promise<RecordOption[]>;
  /** Currencies to offer in the picker (those seen on the board). */
  currencies: readonly string[];
  /** The deals' custom fields; those marked filterable get controls (CustomBoardFilters). */
  customFields: readonly CustomField[];
}

const control =
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

const ACTIVE_KEYS = ["ownerId", "accountId", "closeFrom", "closeTo", "currency", "amountMin", "amountMax"] as const;

/**
 * Owner, account, close-date range, currency, amount range and the filterable custom fields for the board; every
 * change lands in the URL. The
 * controls sit behind a "Filters" disclosure (the board needs the height); active filters stay visible as chips.
 * Amounts in different currencies are never compared: the amount range needs a currency the user picked, and
 * narrows the board to deals in it. Changing the currency clears the range (its numbers meant another money).
 */
export function FiltersBar({ filters, onChange, onClear, users, account, searchAccounts, currencies, customFields }: FiltersBarProps) {
  const currency = filters.currency;
  const id = useId();
  const activeCount = ACTIVE_KEYS.filter((k) => filters[k]).length + Object.keys(filters).filter((k) => isCustomFilterKey(k) && filters[k as `custom.${string}`]).length;
  const [open, setOpen] = useState(false);

  const chips: { key: string; label: string; clear: Partial<PipelineFilters> | Record<string, string> }[] = [];
  if (filters.ownerId) chips.push({ key: "owner", label: `Owner: ${users.find((u) => u.id === filters.ownerId)?.name ?? "…"}`, clear: { ownerId: "" } });
  if (filters.accountId) chips.push({ key: "account", label: `Account: ${account?.name ?? "…"}`, clear: { accountId: "" } });
  if (filters.closeFrom || filters.closeTo) {
    const range = [filters.closeFrom && `from ${formatDateOnly(filters.closeFrom)}`, filters.closeTo && `to ${formatDateOnly(filters.closeTo)}`].filter(Boolean).join(" ");
    chips.push({ key: "close", label: `Closing ${range}`, clear: { closeFrom: "", closeTo: "" } });
  }
  if (currency) chips.push({ key: "currency", label: `Currency: ${currency}`, clear: { currency: "", amountMin: "", amountMax: "" } });
  if (filters.amountMin || filters.amountMax) {
    const money = (m: string) => (currency ? formatMoney(Number(m), currency, { wholeUnits: true }) : `${m} (minor units)`);
    const range = filters.amountMin && filters.amountMax ? `${money(filters.amountMin)}–${money(filters.amountMax)}` : filters.amountMin ? `≥ ${money(filters.amountMin)}` : `≤ ${money(filters.amountMax!)}`;
    chips.push({ key: "amount", label: `Amount ${range}`, clear: { amountMin: "", amountMax: "" } });
  }
  chips.push(...customFilterChips(customFields, filters, users));

  return (
    <div className="mt-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" aria-expanded={open} aria-controls={`${id}-panel`} onClick={() => setOpen((o) => !o)}>
          <FilterIcon className="size-3.5" />
          Filters
          {activeCount > 0 && (
            <span className="tabular rounded-full bg-accent px-1.5 text-xs leading-5 text-accent-foreground">
              <span className="sr-only">(</span>
              {activeCount}
              <span className="sr-only"> active)</span>
            </span>
          )}
        </Button>
        <Button size="sm" aria-pressed={filters.rotting === "true"} onClick={() => onChange({ rotting: filters.rotting === "true" ? "" : "true" })}
          className={filters.rotting === "true" ? "bg-amber-100 text-amber-900 ring-amber-300" : ""}>
          Rotting only
        </Button>
        {chips.length > 0 && (
          <ul className="contents" aria-label="Active filters">
            {chips.map((chip) => (
              <li key={chip.key} className="inline-flex h-7 items-center gap-1 rounded-full bg-accent-soft pr-1 pl-2.5 text-xs font-medium text-slate-700 ring-1 ring-accent/20">
                {chip.label}
                <button
                  type="button"
                  onClick={() => onChange(chip.clear)}
                  className="inline-flex size-5 items-center justify-center rounded-full text-slate-500 hover:bg-white hover:text-slate-800"
                >
                  <CloseIcon className="size-3" />
                  <span className="sr-only">Remove filter {chip.label}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {(activeCount > 0 || filters.q) && (
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear filters
          </Button>
        )}
      </div>
      <fieldset
        id={`${id}-panel`}
        hidden={!open}
        className="mt-3 grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 sm:grid-cols-3 lg:grid-cols-7"
      >
        <legend className="sr-only">Filter the board</legend>
        <div>
          <label htmlFor={`${id}-owner`} className="block text-xs font-medium text-slate-600">
            Owner
          </label>
          <select id={`${id}-owner`} className={`${control} mt-1`} value={filters.ownerId ?? ""} onChange={(e) => onChange({ ownerId: e.target.value })}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <RecordCombobox label="Account" placeholder="Any account" value={account} onChange={(a) => onChange({ accountId: a?.id ?? "" })} search={searchAccounts} />
        <div>
          <label htmlFor={`${id}-from`} className="block text-xs font-medium text-slate-600">
            Closing from
          </label>
          <input id={`${id}-from`} type="date" className={`${control} mt-1`} value={filters.closeFrom ?? ""} max={filters.closeTo} onChange={(e) => onChange({ closeFrom: e.target.value })} />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className="block text-xs font-medium text-slate-600">
            Closing to
          </label>
          <input id={`${id}-to`} type="date" className={`${control} mt-1`} value={filters.closeTo ?? ""} min={filters.closeFrom} onChange={(e) => onChange({ closeTo: e.target.value })} />
        </div>
        <div>
          <label htmlFor={`${id}-currency`} className="block text-xs font-medium text-slate-600">
            Currency
          </label>
          <select
            id={`${id}-currency`}
            className={`${control} mt-1`}
            value={currency ?? ""}
            onChange={(e) => onChange({ currency: e.target.value, ...(e.target.value !== currency && { amountMin: "", amountMax: "" }) })}
          >
            <option value="">Any currency</option>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        {currency ? (
          <>
            <FilterAmount key={`min-${currency}`} label={`Min amount (${currency})`} minor={filters.amountMin ?? ""} toMajor={(m) => fromMinorUnits(m, currency)} toMinor={(m) => toMinorUnits(m, currency)} onCommit={(v) => onChange({ amountMin: v })} />
            <FilterAmount key={`max-${currency}`} label={`Max amount (${currency})`} minor={filters.amountMax ?? ""} toMajor={(m) => fromMinorUnits(m, currency)} toMinor={(m) => toMinorUnits(m, currency)} onCommit={(v) => onChange({ amountMax: v })} />
          </>
        ) : (
          <p className="self-end pb-2 text-xs text-slate-600 sm:col-span-2">Pick a currency to filter by amount.</p>
        )}
        <CustomBoardFilters fields={customFields} filters={filters} onChange={onChange} users={users} />
      </fieldset>
    </div>
  );
}
