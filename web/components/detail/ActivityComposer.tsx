import { useId, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { MeetingIcon, NoteIcon, PhoneIcon, TaskIcon } from "../icons";
import { Button } from "../ui/Button";

export type ComposerType = "note" | "call" | "meeting" | "task";

export interface ComposerValues {
  type: ComposerType;
  subject: string | null;
  body: string | null;
  /** ISO timestamp, tasks only. */
  dueAt: string | null;
}

const TYPES: { value: ComposerType; label: string; action: string; icon: typeof NoteIcon }[] = [
  { value: "note", label: "Note", action: "Add note", icon: NoteIcon },
  { value: "call", label: "Call", action: "Log call", icon: PhoneIcon },
  { value: "meeting", label: "Meeting", action: "Log meeting", icon: MeetingIcon },
  { value: "task", label: "Task", action: "Add task", icon: TaskIcon },
];

const field =
  "block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/** "Log a note, call, meeting or task" on this record; a task has a due date. */
export function ActivityComposer({ onSubmit }: { onSubmit: (values: ComposerValues) => Promise<void> }) {
  const id = useId();
  const [type, setType] = useState<ComposerType>("note");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [due, setDue] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const current = TYPES.find((t) => t.value === type)!;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!subject.trim() && !body.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setPending(true);
    setError(null);
    try {
      const dueAt = type === "task" && due ? new Date(`${due}T17:00:00`).toISOString() : null;
      await onSubmit({ type, subject: subject.trim() || null, body: body.trim() || null, dueAt });
      setSubject("");
      setBody("");
      setDue("");
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const subjectError = missing ? "Write a subject or some details." : fieldErrors.subject;
  return (
    <form onSubmit={submit} className="rounded-xl border border-slate-200 bg-white p-3 shadow-xs" aria-label="Log activity" noValidate>
      <fieldset>
        <legend className="sr-only">Activity type</legend>
        <div className="flex flex-wrap gap-1">
          {TYPES.map((t) => (
            <label
              key={t.value}
              className={`inline-flex cursor-pointer items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${
                type === t.value ? "bg-accent-soft text-slate-900 ring-1 ring-accent/30" : "text-slate-600 hover:bg-slate-100"
              }`}
            >
              <input type="radio" name={`${id}-type`} value={t.value} checked={type === t.value} onChange={() => setType(t.value)} className="sr-only" />
              <t.icon className="size-4" />
              {t.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-3 space-y-2">
        <div>
          <label htmlFor={`${id}-subject`} className="sr-only">
            Subject
          </label>
          <input
            id={`${id}-subject`}
            className={`${field} h-9`}
            placeholder={type === "task" ? "What needs doing?" : type === "note" ? "Subject (optional)" : `What was the ${type} about?`}
            value={subject}
            maxLength={500}
            onChange={(e) => setSubject(e.target.value)}
            aria-invalid={subjectError ? true : undefined}
            aria-describedby={subjectError ? `${id}-subject-error` : undefined}
          />
          {subjectError && (
            <p id={`${id}-subject-error`} className="mt-1 text-xs text-red-600">
              {subjectError}
            </p>
          )}
        </div>
        <div>
          <label htmlFor={`${id}-body`} className="sr-only">
            Details
          </label>
          <textarea
            id={`${id}-body`}
            className={`${field} py-2`}
            rows={3}
            placeholder={type === "note" ? "Write a note…" : "Details (optional)"}
            value={body}
            maxLength={50_000}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
            }}
          />
        </div>
        <div className="flex flex-wrap items-end justify-between gap-2">
          {type === "task" ? (
            <div>
              <label htmlFor={`${id}-due`} className="block text-xs font-medium text-slate-600">
                Due date
              </label>
              <input id={`${id}-due`} type="date" className={`${field} mt-1 h-9 w-44`} value={due} onChange={(e) => setDue(e.target.value)} />
            </div>
          ) : (
            <span />
          )}
          <Button type="submit" variant="primary" loading={pending}>
            {current.action}
          </Button>
        </div>
        {error != null && !fieldErrors.subject && (
          <p role="alert" className="text-sm text-red-600">
            {errorMessage(error)}
          </p>
        )}
      </div>
    </form>
  );
}
