import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError, apiRequest, errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";

const field =
  "block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/** What the composer opens with: an AI draft's recipient, subject and body (the draft is marked sent with the e-mail). */
export interface EmailPrefill {
  to?: string;
  subject: string;
  text: string;
  draftId: string;
  /** Called once the e-mail went out, with what went out (the draft is now marked sent with it). */
  onSent?: (sent: { subject: string; text: string }) => void;
}

/**
 * A plain e-mail composer on contact and deal pages: sends through the configured provider and logs an outbound
 * e-mail on the timeline; replies come back to the CRM (Reply-To) and thread under it. With `prefill` (an AI draft's
 * "Send…") it opens filled in, scrolled into view, for the user to review before sending.
 */
export function EmailComposer({
  entity,
  id,
  defaultTo,
  prefill,
  onSent,
  onClose,
}: {
  entity: "contacts" | "opportunities";
  id: string;
  defaultTo: string;
  prefill?: EmailPrefill;
  onSent: () => void;
  onClose: () => void;
}) {
  const uid = useId();
  const form = useRef<HTMLFormElement>(null);
  const [to, setTo] = useState(prefill?.to || defaultTo);
  // The record may arrive (or be refetched) after the composer opened: take its address while the field is empty.
  useEffect(() => {
    if (defaultTo) setTo((current) => current || defaultTo);
  }, [defaultTo]);
  const [subject, setSubject] = useState(prefill?.subject ?? "");
  const [text, setText] = useState(prefill?.text ?? "");
  // A draft opens the composer away from the AI panel: bring it into view, the cursor in the first field to check.
  const fromDraft = !!prefill;
  useEffect(() => {
    if (!fromDraft || !form.current) return;
    form.current.scrollIntoView({ block: "center", behavior: "smooth" });
    form.current.querySelector<HTMLInputElement>(`input[type="email"]`)?.focus({ preventScroll: true });
  }, [fromDraft]);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? error.fieldErrors : {};

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await apiRequest(`/api/${entity}/${id}/emails`, { method: "POST", body: { to, subject, text, ...(prefill ? { draftId: prefill.draftId } : {}) } });
      prefill?.onSent?.({ subject: subject.trim(), text: text.trim() });
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <form ref={form} onSubmit={submit} className="space-y-2 rounded-xl border border-slate-200 bg-white p-3 shadow-xs" aria-label="Send e-mail" noValidate>
      {prefill && <p className="text-xs text-slate-500">From the AI draft: check the recipient and the wording, then send.</p>}
      <div>
        <label htmlFor={`${uid}-to`} className="block text-xs font-medium text-slate-600">
          To
        </label>
        <input id={`${uid}-to`} type="email" className={`${field} mt-1 h-9`} value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={errors.to ? true : undefined} />
        {errors.to && <p className="mt-1 text-xs text-red-600">{errors.to}</p>}
      </div>
      <div>
        <label htmlFor={`${uid}-subject`} className="block text-xs font-medium text-slate-600">
          Subject
        </label>
        <input id={`${uid}-subject`} className={`${field} mt-1 h-9`} value={subject} maxLength={500} onChange={(e) => setSubject(e.target.value)} aria-invalid={errors.subject ? true : undefined} />
        {errors.subject && <p className="mt-1 text-xs text-red-600">{errors.subject}</p>}
      </div>
      <div>
        <label htmlFor={`${uid}-text`} className="block text-xs font-medium text-slate-600">
          Message
        </label>
        <textarea id={`${uid}-text`} rows={5} className={`${field} mt-1 py-2`} value={text} maxLength={50_000} onChange={(e) => setText(e.target.value)} aria-invalid={errors.text ? true : undefined} />
        {errors.text && <p className="mt-1 text-xs text-red-600">{errors.text}</p>}
      </div>
      {errors.draftId && <p className="text-xs text-red-600">The draft: {errors.draftId}</p>}
      {error != null && !Object.keys(errors).length && (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(error)}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={pending}>
          Send e-mail
        </Button>
      </div>
    </form>
  );
}
