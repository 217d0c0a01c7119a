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
  /** Calls and meetings: who reached out, how it went, and everyone on it. */
  direction?: "inbound" | "outbound";
  outcome?: string;
  contactIds?: string[];
}

/** A person who may have been on a call or meeting of this record. */
export interface ComposerPerson {
  id: string;
  name: string;
}

const OUTCOMES: Record<"call" | "meeting", { value: string; label: string }[]> = {
  call: [
    { value: "connected", label: "Connected" },
    { value: "left_voicemail", label: "Left a voicemail" },
    { value: "no_answer", label: "No answer" },
    { value: "busy", label: "Busy" },
    { value: "wrong_number", label: "Wrong number" },
  ],
  meeting: [
    { value: "held", label: "Held" },
    { value: "no_show", label: "No-show" },
    { value: "rescheduled", label: "Rescheduled" },
    { value: "cancelled", label: "Cancelled" },
  ],
};

const TYPES: { value: ComposerType; label: string; action: string; icon: typeof NoteIcon }[] = [
  { value: "note", label: "Note", action: "Add note", icon: NoteIcon },
  { value: "call", label: "Call", action: "Log call", icon: PhoneIcon },
  { value: "meeting", label: "Meeting", action: "Log meeting", icon: MeetingIcon },
  { value: "task", label: "Task", action: "Add task", icon: TaskIcon },
];

const field =
  "block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/** "Log a note, call, meeting or task" on this record; a task has a due date. */
export function ActivityComposer({ onSubmit, people = [], defaultPeople = [] }: { onSubmit: (values: ComposerValues) => Promise<void>; people?: readonly ComposerPerson[]; defaultPeople?: readonly string[] }) {
  const id = useId();
  const [type, setType] = useState<ComposerType>("note");
  const [direction, setDirection] = useState<"inbound" | "outbound">("outbound");
  const [outcome, setOutcome] = useState<Record<"call" | "meeting", string>>({ call: "connected", meeting: "held" });
  const [picked, setPicked] = useState<string[]>([...defaultPeople]);
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
      const spoken = type === "call" || type === "meeting";
      await onSubmit({
        type,
        subject: subject.trim() || null,
        body: body.trim() || null,
        dueAt,
        ...(spoken && { direction, outcome: outcome[type], ...(picked.length ? { contactIds: picked } : {}) }),
      });
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
        {(type === "call" || type === "meeting") && (
          <div className="flex flex-wrap items-end gap-3">
            <fieldset>
              <legend className="block text-xs font-medium text-slate-600">Direction</legend>
              <div className="mt-1 inline-flex rounded-md ring-1 ring-slate-300">
                {(["outbound", "inbound"] as const).map((d) => (
                  <label key={d} className={`cursor-pointer px-2.5 py-1.5 text-sm first:rounded-l-md last:rounded-r-md has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${direction === d ? "bg-accent-soft font-medium text-slate-900" : "text-slate-600 hover:bg-slate-50"}`}>
                    <input type="radio" name={`${id}-direction`} value={d} checked={direction === d} onChange={() => setDirection(d)} className="sr-only" />
                    {d === "outbound" ? "Outbound" : "Inbound"}
                  </label>
                ))}
              </div>
            </fieldset>
            <div>
              <label htmlFor={`${id}-outcome`} className="block text-xs font-medium text-slate-600">
                Outcome
              </label>
              <select id={`${id}-outcome`} className={`${field} mt-1 h-9 w-44`} value={outcome[type]} onChange={(e) => setOutcome((o) => ({ ...o, [type]: e.target.value }))}>
                {OUTCOMES[type].map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
            {people.length > 0 && (
              <fieldset className="min-w-0">
                <legend className="block text-xs font-medium text-slate-600">With</legend>
                <div className="mt-1 flex flex-wrap gap-1.5">
                  {people.slice(0, 12).map((p) => (
                    <label key={p.id} className={`inline-flex cursor-pointer items-center gap-1 rounded-full px-2.5 py-1 text-xs ring-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${picked.includes(p.id) ? "bg-accent-soft text-slate-900 ring-accent/40" : "text-slate-600 ring-slate-300 hover:bg-slate-50"}`}>
                      <input
                        type="checkbox"
                        className="sr-only"
                        checked={picked.includes(p.id)}
                        onChange={(e) => setPicked((cur) => (e.target.checked ? [...cur, p.id] : cur.filter((x) => x !== p.id)))}
                      />
                      {p.name}
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
          </div>
        )}
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
