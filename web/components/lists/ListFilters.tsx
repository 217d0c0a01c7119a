import { useEffect, useId, useState, type ReactNode } from "react";
import { SearchInput } from "../SearchInput";
import { Button } from "../ui/Button";

const control =
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/** The toolbar under a list's title: a search box first, then the list's own filters; wraps on narrow screens. */
export function ListFilters({ children, onClear, canClear }: { children: ReactNode; onClear: () => void; canClear: boolean }) {
  return (
    <div role="search" className="mt-4 grid grid-cols-1 items-end gap-3 min-[420px]:grid-cols-2 md:flex md:flex-wrap">
      {children}
      {canClear && (
        <Button variant="ghost" onClick={onClear} className="justify-self-start">
          Clear filters
        </Button>
      )}
    </div>
  );
}

/** Free-text search that writes to the URL after a short pause (and at once on Enter). */
export function FilterSearch({ label, value, onCommit, placeholder }: { label: string; value: string; onCommit: (q: string) => void; placeholder?: string }) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  if (synced !== value) {
    setSynced(value);
    if (value !== text.trim()) setText(value);
  }
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onCommit(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text, value, onCommit]);
  return (
    <div className="min-[420px]:col-span-2 md:w-72">
      <SearchInput
        label={label}
        placeholder={placeholder ?? `${label}…`}
        value={text}
        onValueChange={setText}
        onKeyDown={(e) => {
          if (e.key === "Enter") onCommit(text.trim());
        }}
      />
    </div>
  );
}

export function FilterSelect({ label, value, onChange, options, allLabel }: { label: string; value: string; onChange: (v: string) => void; options: readonly { value: string; label: string }[]; allLabel: string }) {
  const id = useId();
  return (
    <div className="md:w-44">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={id} className={`${control} mt-1`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterDate({ label, value, onChange, min, max }: { label: string; value: string; onChange: (v: string) => void; min?: string; max?: string }) {
  const id = useId();
  return (
    <div className="md:w-40">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input id={id} type="date" className={`${control} mt-1`} value={value} min={min} max={max} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** A number typed in major units, committed (as minor units by the caller's `toMinor`) on blur, Enter or a pause. */
export function FilterAmount({ label, minor, onCommit, toMajor, toMinor }: { label: string; minor: string; onCommit: (minor: string) => void; toMajor: (minor: number) => number; toMinor: (major: number) => number }) {
  const id = useId();
  const show = (m: string) => (m && Number.isFinite(Number(m)) ? String(toMajor(Number(m))) : "");
  const [text, setText] = useState(show(minor));
  const [synced, setSynced] = useState(minor);
  if (synced !== minor) {
    setSynced(minor);
    setText(show(minor));
  }
  const commit = (t: string) => {
    const major = Number(t);
    const next = t.trim() === "" || !Number.isFinite(major) || major < 0 ? "" : String(toMinor(major));
    if (next !== minor) onCommit(next);
  };
  useEffect(() => {
    if (text === show(minor)) return;
    const timer = setTimeout(() => commit(text), 600);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return (
    <div className="md:w-36">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={0}
        className={`${control} tabular mt-1`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => commit(text)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit(text);
        }}
      />
    </div>
  );
}
