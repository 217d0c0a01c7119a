import { useId, type ReactNode } from "react";
import { Link } from "react-router";
import { formatDateOnly, formatDateTime, formatMoney } from "../../lib/format";
import type { OpenTask, RelatedContact, RelatedOpportunity } from "../../lib/records";
import { Badge } from "../ui/Badge";

/** A titled box of related records on a detail page. */
export function RelatedSection({ title, count, action, children }: { title: string; count?: number; action?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
        <h2 id={id} className="text-sm font-semibold text-slate-900">
          {title}
          {count !== undefined && <span className="ml-1.5 font-normal text-slate-500">{count}</span>}
        </h2>
        {action}
      </div>
      <div className="px-4 py-2">{children}</div>
    </section>
  );
}

export function EmptyLine({ children }: { children: ReactNode }) {
  return <p className="py-2 text-sm text-slate-500">{children}</p>;
}

export function ContactLinks({ contacts }: { contacts: readonly RelatedContact[] }) {
  if (contacts.length === 0) return <EmptyLine>No contacts.</EmptyLine>;
  return (
    <ul className="divide-y divide-slate-100">
      {contacts.map((c) => (
        <li key={c.id} className="py-2">
          <Link to={`/contacts/${c.id}`} className="text-sm font-medium text-slate-900 hover:underline">
            {c.name || c.email || "Unnamed contact"}
          </Link>
          {c.isPrimary && (
            <Badge tone="accent" className="ml-2">
              Primary
            </Badge>
          )}
          <p className="truncate text-xs text-slate-500">{[c.role, c.title, c.email].filter(Boolean).join(" · ") || "—"}</p>
        </li>
      ))}
    </ul>
  );
}

export function OpportunityLinks({ opportunities }: { opportunities: readonly RelatedOpportunity[] }) {
  if (opportunities.length === 0) return <EmptyLine>No deals.</EmptyLine>;
  return (
    <ul className="divide-y divide-slate-100">
      {opportunities.map((o) => (
        <li key={o.id} className="py-2">
          <div className="flex items-baseline justify-between gap-2">
            <Link to={`/opportunities/${o.id}`} className="min-w-0 truncate text-sm font-medium text-slate-900 hover:underline">
              {o.name}
            </Link>
            <span className="tabular shrink-0 text-sm text-slate-700">{o.amount === null ? "—" : formatMoney(o.amount, o.currency, { wholeUnits: true })}</span>
          </div>
          <p className="text-xs text-slate-500">
            {o.stageName}
            {o.closeDate && ` · closes ${formatDateOnly(o.closeDate)}`}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function NextTask({ task }: { task: OpenTask | null }) {
  if (!task) return <EmptyLine>No open task.</EmptyLine>;
  const overdue = task.dueAt && new Date(task.dueAt).getTime() < Date.now();
  return (
    <div className="py-2">
      <p className="text-sm font-medium text-slate-900">{task.subject ?? "Task"}</p>
      <p className={`text-xs ${overdue ? "font-medium text-red-600" : "text-slate-500"}`}>
        {task.dueAt ? `${overdue ? "Overdue — due" : "Due"} ${formatDateTime(task.dueAt)}` : "No due date"}
      </p>
    </div>
  );
}
