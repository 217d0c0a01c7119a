import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { useUsers } from "../../lib/useUsers";
import { Button } from "../ui/Button";

const field =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/**
 * A comment box with an `@` people picker: typing `@` and a few letters lists the workspace's active users; choosing
 * one (click, or arrows + Enter) writes `@[Name](user:<id>)`, which the server turns into a notification.
 */
export function CommentComposer({ onSubmit, initial = "", submitLabel = "Comment", placeholder = "Write a comment… (@ to mention)", onCancel, autoFocus }: {
  onSubmit: (body: string) => Promise<void>;
  initial?: string;
  submitLabel?: string;
  placeholder?: string;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const { users } = useUsers();
  const [text, setText] = useState(initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState<{ start: number; q: string } | null>(null);
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);

  const matches = useMemo(() => {
    if (!query) return [];
    const q = query.q.toLowerCase();
    return users.filter((u) => u.active !== false && (u.name.toLowerCase().includes(q) || u.email.toLowerCase().startsWith(q))).slice(0, 6);
  }, [query, users]);

  function track(value: string, caret: number) {
    const before = value.slice(0, caret);
    const m = /(^|\s)@([^\s@[\]()]{0,30})$/.exec(before);
    setQuery(m ? { start: caret - m[2]!.length - 1, q: m[2]! } : null);
    setActive(0);
  }

  function pick(u: { id: string; name: string }) {
    if (!query) return;
    const caret = ref.current?.selectionStart ?? text.length;
    const token = `@[${u.name.replace(/[\]\n]/g, "")}](user:${u.id}) `;
    const next = text.slice(0, query.start) + token + text.slice(caret);
    setText(next);
    setQuery(null);
    requestAnimationFrame(() => {
      const at = query.start + token.length;
      ref.current?.focus();
      ref.current?.setSelectionRange(at, at);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (matches.length) {
      if (e.key === "ArrowDown") return void (e.preventDefault(), setActive((a) => (a + 1) % matches.length));
      if (e.key === "ArrowUp") return void (e.preventDefault(), setActive((a) => (a - 1 + matches.length) % matches.length));
      if (e.key === "Enter" || e.key === "Tab") return void (e.preventDefault(), pick(matches[active]!));
      if (e.key === "Escape") return void setQuery(null);
    }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
  }

  async function submit(e: FormEvent | KeyboardEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    setPending(true);
    setError(null);
    try {
      await onSubmit(text.trim());
      setText("");
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  const listId = `${id}-people`;
  return (
    <form onSubmit={submit} className="relative" aria-label={submitLabel}>
      <label htmlFor={`${id}-text`} className="sr-only">
        {submitLabel}
      </label>
      <textarea
        id={`${id}-text`}
        ref={ref}
        rows={2}
        className={field}
        placeholder={placeholder}
        value={text}
        maxLength={20_000}
        autoFocus={autoFocus}
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={matches.length ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          track(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
      />
      {matches.length > 0 && (
        <ul id={listId} role="listbox" aria-label="People" className="absolute z-20 mt-1 w-64 overflow-hidden rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
          {matches.map((u, i) => (
            <li
              key={u.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-accent-soft" : "hover:bg-slate-50"}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(u);
              }}
            >
              <span className="font-medium text-slate-900">{u.name}</span> <span className="text-xs text-slate-500">{u.email}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-2 flex items-center justify-end gap-2">
        {onCancel && (
          <Button size="sm" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button size="sm" type="submit" variant="primary" loading={pending} disabled={!text.trim()}>
          {submitLabel}
        </Button>
      </div>
      {error != null && (
        <p role="alert" className="mt-1 text-sm text-red-600">
          {error instanceof ApiError ? (error.detail ?? errorMessage(error)) : errorMessage(error)}
        </p>
      )}
    </form>
  );
}
