import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from "react";
import { isAbortError } from "../lib/api";
import { CloseIcon } from "./icons";
import { Spinner } from "./ui/Spinner";

export interface RecordOption {
  id: string;
  name: string;
  hint?: string | null;
}

export interface RecordComboboxProps {
  label: string;
  /** Hide the label visually (it is still announced). */
  hideLabel?: boolean;
  value: RecordOption | null;
  onChange: (value: RecordOption | null) => void;
  /** Results for what was typed (called after a short pause; an empty string lists the first few). */
  search: (query: string, signal: AbortSignal) => Promise<RecordOption[]>;
  placeholder?: string;
  className?: string;
  inputClassName?: string;
  id?: string;
  error?: string;
  autoFocus?: boolean;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
  onBlur?: () => void;
  ref?: Ref<HTMLInputElement>;
}

const DEBOUNCE_MS = 200;

/**
 * A typeahead for picking one record (ARIA 1.2 combobox + listbox): type to search, arrows to move, Enter to
 * pick, Escape to close (or to restore the current value). The text box shows the picked record's name.
 */
export function RecordCombobox({
  label,
  hideLabel = false,
  value,
  onChange,
  search,
  placeholder = "Search…",
  className = "",
  inputClassName = "",
  id,
  error,
  autoFocus,
  onKeyDown,
  onBlur,
  ref,
}: RecordComboboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const listId = `${inputId}-list`;
  const [text, setText] = useState(value?.name ?? "");
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<RecordOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState(-1);
  const [query, setQuery] = useState<string | null>(null);
  const searchRef = useRef(search);
  searchRef.current = search;
  const rootRef = useRef<HTMLDivElement>(null);

  // The selected record changed from outside (URL, another control): show its name.
  const [syncedValue, setSyncedValue] = useState(value);
  if (syncedValue?.id !== value?.id || syncedValue?.name !== value?.name) {
    setSyncedValue(value);
    setText(value?.name ?? "");
  }

  useEffect(() => {
    if (query === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      searchRef.current(query, controller.signal).then(
        (results) => {
          if (controller.signal.aborted) return;
          setOptions(results);
          setActive(results.length ? 0 : -1);
          setLoading(false);
        },
        (err: unknown) => {
          if (controller.signal.aborted || isAbortError(err)) return;
          setOptions([]);
          setLoading(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  function pick(option: RecordOption | null) {
    onChange(option);
    setText(option?.name ?? "");
    setOpen(false);
    setQuery(null);
  }

  function close() {
    setOpen(false);
    setQuery(null);
    setText(value?.name ?? "");
  }

  return (
    <div
      ref={rootRef}
      className={`relative ${className}`}
      onBlur={(e) => {
        if (rootRef.current?.contains(e.relatedTarget as Node)) return;
        if (open) close();
        onBlur?.();
      }}
    >
      <label htmlFor={inputId} className={hideLabel ? "sr-only" : "block text-xs font-medium text-slate-600"}>
        {label}
      </label>
      <div className={`relative ${hideLabel ? "" : "mt-1"}`}>
        <input
          ref={ref}
          id={inputId}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          autoFocus={autoFocus}
          placeholder={placeholder}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setQuery(e.target.value);
          }}
          onFocus={() => {
            if (!open) {
              setOpen(true);
              setQuery("");
            }
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              if (!open) {
                setOpen(true);
                setQuery(text === value?.name ? "" : text);
              } else setActive((i) => Math.min(options.length - 1, i + 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === "Enter" && open && active >= 0 && options[active]) {
              e.preventDefault();
              pick(options[active]!);
              return;
            } else if (e.key === "Escape" && open) {
              e.preventDefault();
              e.stopPropagation();
              close();
              return;
            }
            onKeyDown?.(e);
          }}
          className={`block h-9 w-full rounded-md border bg-white pr-8 pl-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden ${
            error ? "border-red-500" : "border-slate-300"
          } ${inputClassName}`}
        />
        <span className="absolute top-1/2 right-1.5 flex -translate-y-1/2 items-center">
          {loading ? (
            <Spinner className="size-4 text-slate-400" />
          ) : value ? (
            <button
              type="button"
              onClick={() => pick(null)}
              className="inline-flex size-6 items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-600"
            >
              <span className="sr-only">Clear {label}</span>
              <CloseIcon className="size-3.5" />
            </button>
          ) : null}
        </span>
      </div>
      <ul
        id={listId}
        role="listbox"
        aria-label={label}
        hidden={!open}
        className="absolute z-30 mt-1 max-h-64 w-full min-w-56 overflow-y-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200"
      >
        {options.map((o, i) => (
          <li
            key={o.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(o)}
            onMouseEnter={() => setActive(i)}
            className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-accent-soft text-slate-900" : "text-slate-700"}`}
          >
            <span className="block truncate">{o.name}</span>
            {o.hint && <span className="block truncate text-xs text-slate-500">{o.hint}</span>}
          </li>
        ))}
        {!loading && options.length === 0 && query !== null && (
          <li role="presentation" className="px-3 py-1.5 text-slate-500">
            No matches
          </li>
        )}
      </ul>
    </div>
  );
}
