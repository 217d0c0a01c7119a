import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { errorMessage } from "../lib/api";
import { useCurrentUser } from "../lib/auth";
import { qk } from "../lib/query";
import {
  forgetRecent,
  readRecent,
  recordPath,
  rememberRecent,
  searchRecords,
  TYPE_LABEL,
  type SearchItem,
  type SearchResponse,
  type SearchType,
} from "../lib/search";
import { BuildingIcon, ClockIcon, SearchIcon, SparklesIcon, UserIcon } from "./icons";
import { Spinner } from "./ui/Spinner";

const DEBOUNCE_MS = 120;

const TYPE_ICON: Record<SearchType, (p: { className?: string }) => ReactNode> = {
  account: BuildingIcon,
  contact: UserIcon,
  lead: SparklesIcon,
  opportunity: (p) => (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true" {...p}>
      <path d="M3 15l4.5-5 3 3L17 6" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M12.5 6H17v4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  ),
};

interface Section {
  key: string;
  label: string;
  items: SearchItem[];
}

type State =
  | { status: "idle" }
  | { status: "loading"; query: string; previous?: SearchResponse }
  | { status: "done"; query: string; response: SearchResponse }
  | { status: "error"; query: string; error: unknown };

/**
 * The Ctrl/Cmd+K palette: a modal with one combobox. Results arrive as you type (debounced, the request for an
 * older query is aborted), grouped by record type; ↑/↓ move the active option (aria-activedescendant keeps focus
 * in the text box), Enter opens the record's page, Escape closes. With nothing typed it lists recent records.
 */
export default function SearchPalette({ onClose }: { onClose: () => void }) {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const listId = `${id}-results`;
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [recent, setRecent] = useState(() => readRecent(user.id));
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  // Native modal: inert page behind, focus kept inside, Escape → "cancel" (routed through onClose).
  useLayoutEffect(() => {
    const dialog = dialogRef.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    inputRef.current?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);

  const trimmed = query.trim();
  // The request follows the typing after a pause; answers are cached per query (typing back to an earlier query, or
  // reopening the palette, shows its results at once), and an older query's request is cancelled by the cache.
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(trimmed), trimmed ? DEBOUNCE_MS : 0);
    return () => clearTimeout(timer);
  }, [trimmed]);
  const search = useQuery({
    queryKey: [...qk.search, debounced],
    queryFn: ({ signal }) => searchRecords(debounced, { signal, limit: 12 }),
    enabled: debounced !== "",
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const settled = debounced === trimmed && !search.isPlaceholderData && !search.isFetching;
  const state: State = !trimmed
    ? { status: "idle" }
    : settled && search.isError
      ? { status: "error", query: trimmed, error: search.error }
      : settled && search.data
        ? { status: "done", query: trimmed, response: search.data }
        : { status: "loading", query: trimmed, previous: search.data };

  const shown = state.status === "done" ? state.response : state.status === "loading" ? state.previous : undefined;
  const sections = useMemo<Section[]>(() => {
    if (!trimmed) return recent.length ? [{ key: "recent", label: "Recent", items: recent }] : [];
    return (shown?.groups ?? [])
      .filter((g) => g.items.length > 0)
      .map((g) => ({ key: g.type, label: TYPE_LABEL[g.type]?.many ?? g.type, items: g.items }));
  }, [trimmed, shown, recent]);
  const flat = useMemo(() => sections.flatMap((s) => s.items), [sections]);

  // New results: the best match is active.
  useEffect(() => setActive(0), [sections]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  function open(item: SearchItem) {
    rememberRecent(user.id, item);
    onClose();
    navigate(recordPath(item.type, item.id));
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || (event.key === "n" && event.ctrlKey)) {
      event.preventDefault();
      if (flat.length) setActive((i) => (i + 1) % flat.length);
    } else if (event.key === "ArrowUp" || (event.key === "p" && event.ctrlKey)) {
      event.preventDefault();
      if (flat.length) setActive((i) => (i - 1 + flat.length) % flat.length);
    } else if (event.key === "Home" && flat.length && event.ctrlKey) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === "End" && flat.length && event.ctrlKey) {
      event.preventDefault();
      setActive(flat.length - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const item = flat[active];
      if (item) open(item);
    }
  }

  const loading = state.status === "loading";
  const activeId = flat[active] ? `${id}-opt-${active}` : undefined;
  const status = !trimmed
    ? recent.length
      ? `${recent.length} recent records`
      : ""
    : state.status === "done"
      ? state.response.total === 0
        ? `No results for ${trimmed}`
        : `${state.response.total} results`
      : state.status === "error"
        ? "Search failed"
        : "";

  let index = -1;
  return (
    <dialog
      ref={dialogRef}
      aria-label="Search records"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      className="m-0 h-dvh max-h-none w-screen max-w-none bg-transparent p-0 backdrop:bg-slate-900/40 open:flex open:items-start open:justify-center sm:pt-[12vh]"
    >
      <div className="flex max-h-[min(36rem,100dvh)] w-full flex-col overflow-hidden bg-white shadow-2xl ring-1 ring-slate-900/10 sm:mx-4 sm:max-h-[70vh] sm:max-w-xl sm:rounded-xl">
        <div className="flex items-center gap-3 border-b border-slate-200 px-4">
          <SearchIcon className="size-5 shrink-0 text-slate-400" />
          <label htmlFor={`${id}-input`} className="sr-only">
            Search accounts, contacts, leads and opportunities
          </label>
          <input
            ref={inputRef}
            id={`${id}-input`}
            role="combobox"
            aria-expanded={flat.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeId}
            autoComplete="off"
            spellCheck={false}
            enterKeyHint="go"
            placeholder="Search accounts, contacts, leads, deals…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
            className="h-14 min-w-0 flex-1 bg-transparent text-base text-slate-900 placeholder:text-slate-400 focus:outline-none sm:text-[0.9375rem]"
          />
          {loading && <Spinner className="size-4 text-slate-400" />}
          <button
            type="button"
            onClick={onClose}
            className="rounded-md px-1.5 py-0.5 text-xs font-medium text-slate-500 ring-1 ring-slate-300 hover:bg-slate-50 hover:text-slate-700"
          >
            Esc<span className="sr-only"> — close search</span>
          </button>
        </div>

        <div ref={listRef} className="min-h-0 flex-1 overflow-y-auto py-2">
          <div id={listId} role="listbox" aria-label="Search results">
          {sections.map((section) => (
            <div key={section.key} role="group" aria-labelledby={`${id}-group-${section.key}`} className="pb-1">
              <div
                id={`${id}-group-${section.key}`}
                role="presentation"
                className="flex items-center gap-1.5 px-4 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase"
              >
                {section.key === "recent" && <ClockIcon className="size-3.5" />}
                {section.label}
              </div>
              {section.items.map((item) => {
                index += 1;
                const i = index;
                const Icon = TYPE_ICON[item.type] ?? SearchIcon;
                const selected = i === active;
                return (
                  <div
                    key={`${item.type}:${item.id}`}
                    id={`${id}-opt-${i}`}
                    data-index={i}
                    role="option"
                    aria-selected={selected}
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseMove={() => !selected && setActive(i)}
                    onClick={() => open(item)}
                    className={`mx-2 flex cursor-pointer items-center gap-3 rounded-lg px-2.5 py-2 ${selected ? "bg-accent-soft" : ""}`}
                  >
                    <span
                      className={`inline-flex size-8 shrink-0 items-center justify-center rounded-md ${selected ? "bg-white text-accent" : "bg-slate-100 text-slate-500"}`}
                    >
                      <Icon className="size-4" />
                    </span>
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-sm font-medium text-slate-900">
                        <Highlight text={item.title} query={trimmed} />
                      </span>
                      <span className={`block truncate text-xs ${selected ? "text-slate-700" : "text-slate-500"}`}>
                        {section.key === "recent" && <span>{TYPE_LABEL[item.type]?.one} · </span>}
                        {item.subtitle ?? ""}
                      </span>
                    </span>
                    {selected && (
                      <span aria-hidden="true" className="hidden text-xs text-slate-700 sm:inline">
                        Open ↵
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          ))}
          </div>

          {!trimmed && recent.length === 0 && (
            <p className="px-4 py-6 text-center text-sm text-slate-500">
              Type a name, e-mail, company or deal. Records you open appear here.
            </p>
          )}
          {state.status === "done" && state.response.total === 0 && (
            <p className="px-4 py-6 text-center text-sm text-slate-500">
              No records match “<span className="font-medium text-slate-700">{state.query}</span>”.
            </p>
          )}
          {state.status === "error" && (
            <p role="alert" className="px-4 py-6 text-center text-sm text-red-700">
              Search failed: {errorMessage(state.error)}
            </p>
          )}
          {!trimmed && recent.length > 0 && (
            <div className="px-4 pt-1 text-right">
              <button
                type="button"
                className="text-xs text-slate-500 underline-offset-2 hover:text-slate-700 hover:underline"
                onClick={() => {
                  for (const r of recent) forgetRecent(user.id, r.id);
                  setRecent([]);
                  inputRef.current?.focus();
                }}
              >
                Clear recent
              </button>
            </div>
          )}
        </div>

        <div className="hidden items-center gap-4 border-t border-slate-200 bg-slate-50 px-4 py-2 text-xs text-slate-500 sm:flex">
          <span>
            <Key>↑</Key> <Key>↓</Key> to move
          </span>
          <span>
            <Key>↵</Key> to open
          </span>
          <span>
            <Key>Esc</Key> to close
          </span>
        </div>
        <div role="status" className="sr-only">
          {status}
        </div>
      </div>
    </dialog>
  );
}

function Key({ children }: { children: ReactNode }) {
  return <kbd className="rounded border border-slate-300 bg-white px-1 font-sans text-[0.6875rem] text-slate-600">{children}</kbd>;
}

/** Bolds the first case-insensitive occurrence of the query in a result title. */
function Highlight({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="bg-transparent font-semibold text-accent-hover">{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}
