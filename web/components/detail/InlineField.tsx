import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { Link } from "react-router";
import { ApiError, errorMessage } from "../../lib/api";
import { ExternalLinkIcon, PencilIcon } from "../icons";
import { RecordCombobox, type RecordOption } from "../RecordCombobox";
import { Spinner } from "../ui/Spinner";

export type InlineFieldKind =
  | { type: "text" | "email" | "url" | "tel"; maxLength?: number; required?: boolean; inputMode?: "decimal" | "numeric" }
  | { type: "textarea"; maxLength?: number }
  | { type: "number"; min?: number; max?: number; step?: number }
  | { type: "date" }
  | { type: "select"; options: readonly { value: string; label: string }[]; allowEmpty?: string }
  | { type: "record"; search: (q: string, signal: AbortSignal) => Promise<RecordOption[]>; current: RecordOption | null };

export interface InlineFieldProps {
  /** The API field name: server errors whose `path` starts with it are shown under the field. */
  name: string;
  label: string;
  /** The value as the editor starts with it ("" for empty). */
  value: string;
  /** How the value reads when not editing; defaults to `value` or "—". */
  display?: ReactNode;
  kind: InlineFieldKind;
  canEdit: boolean;
  /** Receives the edited text ("" = cleared); resolves when saved, rejects with an ApiError to show. */
  onSave: (value: string) => Promise<void>;
  /** A check before saving; return a message to block the save. */
  validate?: (value: string) => string | undefined;
  hint?: string;
  /** Wide fields (description) span the whole grid row. */
  wide?: boolean;
  /**
   * Where the value leads (a website, mailto:, the linked account). Rendered as its own link beside the edit
   * button (never inside it: a link in a button is unreachable for keyboard and screen-reader users).
   */
  link?: { href: string; label: string; external?: boolean };
}

/**
 * The editor open on the page. Only one at a time: while it saves or shows an error, a click on another field brings
 * it back into focus instead of opening a second editor, so a value can never be typed into the wrong field.
 */
let openEditor: { id: string; focus(): void } | null = null;

const inputClass =
  "block w-full rounded-md border bg-white px-2.5 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/**
 * A labelled value that turns into its editor on click or Enter. Enter (Ctrl+Enter in a text area) or leaving
 * the field saves; Escape puts the old value back. Errors from the server stay under the field until fixed.
 */
export function InlineField({ name, label, value, display, kind, canEdit, onSave, validate, hint, wide = false, link }: InlineFieldProps) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const editorRef = useRef<HTMLElement | null>(null);
  const savingRef = useRef(false);
  // The text the server just refused: leaving the field does not send it again (Enter does, to retry on purpose).
  const refusedRef = useRef<string | null>(null);
  // Set when the editor closes, so a blur fired while it unmounts (after Escape) never saves the discarded text.
  const closedRef = useRef(true);

  // A field that unmounts (the record reloaded, the page changed) must not keep blocking the others.
  useEffect(
    () => () => {
      if (openEditor?.id === id) openEditor = null;
    },
    [id],
  );

  function close() {
    closedRef.current = true;
    if (openEditor?.id === id) openEditor = null;
    setEditing(false);
  }

  function start() {
    if (!canEdit) return;
    if (openEditor && openEditor.id !== id) {
      openEditor.focus();
      return;
    }
    openEditor = { id, focus: () => editorRef.current?.focus() };
    closedRef.current = false;
    refusedRef.current = null;
    setDraft(value);
    setError(null);
    setEditing(true);
  }

  function cancel() {
    close();
    setError(null);
    setDraft(value);
    requestAnimationFrame(() => buttonRef.current?.focus());
  }

  async function save(next: string = draft) {
    if (savingRef.current || closedRef.current) return;
    if (kind.type === "text" && kind.required && !next.trim()) {
      setError(`${label} can’t be empty.`);
      return;
    }
    const problem = validate?.(next);
    if (problem) {
      setError(problem);
      return;
    }
    if (next === value) {
      close();
      setError(null);
      return;
    }
    savingRef.current = true;
    setPending(true);
    try {
      await onSave(next);
      close();
      setError(null);
      requestAnimationFrame(() => buttonRef.current?.focus());
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? (err.errors ?? []).filter((e) => e.path === name || e.path.startsWith(`${name}.`)) : [];
      setError(fieldErrors[0]?.message ? `${label} ${fieldErrors[0].message}` : errorMessage(err));
      refusedRef.current = next;
      // The editor stays open with the message: put the cursor back in it, whatever was clicked meanwhile.
      requestAnimationFrame(() => editorRef.current?.focus());
    } finally {
      savingRef.current = false;
      setPending(false);
    }
  }

  const errorId = `${id}-error`;
  const hintId = hint && editing ? `${id}-hint` : undefined;
  const describedBy = [error ? errorId : null, hintId].filter(Boolean).join(" ") || undefined;
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      cancel();
    } else if (e.key === "Enter" && (kind.type !== "textarea" || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save();
    }
  };
  const common = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    // Read-only, not disabled, while saving: a disabled control drops the focus, and the user's next keys with it.
    readOnly: pending,
    "aria-busy": pending || undefined,
    ref: (el: HTMLElement | null) => {
      editorRef.current = el;
    },
    onKeyDown,
    onBlur: () => (draft === refusedRef.current ? undefined : void save()),
    autoFocus: true,
  } as const;
  const border = error ? "border-red-500" : "border-slate-300";

  let editor: ReactNode = null;
  if (editing) {
    switch (kind.type) {
      case "textarea":
        editor = <textarea {...common} rows={4} maxLength={kind.maxLength} value={draft} onChange={(e) => setDraft(e.target.value)} className={`${inputClass} ${border} py-2`} />;
        break;
      case "select":
        editor = (
          <select
            {...common}
            disabled={pending}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              void save(e.target.value);
            }}
            onBlur={() => (draft === value ? cancel() : undefined)}
            className={`${inputClass} ${border} h-9`}
          >
            {kind.allowEmpty !== undefined && <option value="">{kind.allowEmpty}</option>}
            {kind.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        );
        break;
      case "record":
        editor = (
          <RecordCombobox
            id={id}
            label={label}
            hideLabel
            value={kind.current}
            autoFocus
            error={error ?? undefined}
            search={kind.search}
            onChange={(option) => void save(option?.id ?? "")}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.preventDefault();
                cancel();
              }
            }}
            onBlur={() => !savingRef.current && cancel()}
          />
        );
        break;
      case "number":
        editor = (
          <input {...common} type="number" inputMode="decimal" min={kind.min} max={kind.max} step={kind.step ?? "any"} value={draft} onChange={(e) => setDraft(e.target.value)} className={`${inputClass} ${border} tabular h-9`} />
        );
        break;
      case "date":
        editor = <input {...common} type="date" value={draft} onChange={(e) => setDraft(e.target.value)} className={`${inputClass} ${border} h-9`} />;
        break;
      default:
        editor = <input {...common} type={kind.type} inputMode={kind.inputMode} maxLength={kind.maxLength} value={draft} onChange={(e) => setDraft(e.target.value)} className={`${inputClass} ${border} h-9`} />;
    }
  }

  const shown = display ?? (value ? value : null);
  return (
    <div className={`min-w-0 ${wide ? "sm:col-span-2" : ""}`} data-field={name}>
      {editing ? (
        <label htmlFor={id} className="block text-xs font-medium text-slate-500">
          {label}
        </label>
      ) : (
        <span aria-hidden={canEdit ? true : undefined} className="block text-xs font-medium text-slate-500">
          {label}
        </span>
      )}
      <div className="mt-1">
        {editing ? (
          <div className="relative">
            {editor}
            {pending && (
              <span className="absolute top-2.5 right-2.5">
                <Spinner className="size-4 text-slate-400" label="Saving" />
              </span>
            )}
          </div>
        ) : canEdit ? (
          <div className="flex items-start gap-1">
            <button
              ref={buttonRef}
              type="button"
              onClick={start}
              aria-describedby={describedBy}
              className="group -ml-2 flex min-h-9 min-w-0 flex-1 items-start gap-2 rounded-md px-2 py-1.5 text-left text-sm text-slate-900 hover:bg-slate-100"
            >
              {/* Named "Edit <label>: <value>" so a screen reader says what the button does and what is there now. */}
              <span className="sr-only">Edit {label}: </span>
              <span className={`min-w-0 flex-1 break-words ${wide ? "whitespace-pre-wrap" : ""}`}>{shown ?? <span className="text-slate-500">—</span>}</span>
              <PencilIcon className="mt-0.5 size-3.5 shrink-0 text-slate-300 group-hover:text-slate-500 group-focus-visible:text-slate-500" />
            </button>
            {link && <FieldLink link={link} />}
          </div>
        ) : (
          <p className={`min-h-9 py-1.5 text-sm break-words text-slate-900 ${wide ? "whitespace-pre-wrap" : ""}`}>
            {link && shown ? <FieldLink link={link}>{shown}</FieldLink> : (shown ?? <span className="text-slate-500">—</span>)}
          </p>
        )}
        {error && (
          <p id={errorId} role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        )}
        {hint && editing && !error && (
          <p id={hintId} className="mt-1 text-xs text-slate-500">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** The value's destination; with children it is the value itself (read-only), else an icon beside the edit button. */
function FieldLink({ link, children }: { link: NonNullable<InlineFieldProps["link"]>; children?: ReactNode }) {
  const external = link.external ? { target: "_blank", rel: "noreferrer noopener" } : {};
  const className = children
    ? "text-accent underline-offset-2 hover:underline"
    : "inline-flex size-9 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700";
  const content = children ?? (
    <>
      <ExternalLinkIcon className="size-4" />
      <span className="sr-only">{link.label}</span>
    </>
  );
  // Paths inside the app go through the router (no full reload); websites and mailto: are plain links.
  if (link.href.startsWith("/")) {
    return (
      <Link to={link.href} title={children ? undefined : link.label} className={className}>
        {content}
      </Link>
    );
  }
  return (
    <a href={link.href} {...external} title={children ? undefined : link.label} className={className}>
      {content}
    </a>
  );
}
