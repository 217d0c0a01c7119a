import { useEffect, useId, useState, type FormEvent } from "react";
import { ApiError, apiRequest, errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";

const field =
  "block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/**
 * A plain e-mail composer on contact and deal pages: sends through the configured provider and logs an outbound
 * e-mail on the timeline; replies come back to the CRM (Reply-To) and thread under it.
 */
export function EmailComposer({ entity, id, defaultTo, onSent, onClose }: { entity: "contacts" | "opportunities"; id: string; defaultTo: string; onSent: () => void; onClose: () => void }) {
  const uid = useId();
  const [to, setTo] = useState(defaultTo);
  // The record may arrive (or be refetched) after the composer opened: take its address while the field is empty.
  useEffect(() => {
    if (defaultTo) setTo((current) => current || defaultTo);
  }, [defaultTo]);
  const [subject, setSubject] = useState("");
  const [text, setText] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? error.fieldErrors : {};

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await apiRequest(`/api/${entity}/${id}/emails`, { method: "POST", body: { to, subject, text } });
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-2 rounded-xl border border-slate-200 bg-white p-3 shadow-xs" aria-label="Send e-mail" noValidate>
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
