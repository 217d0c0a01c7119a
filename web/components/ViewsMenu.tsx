/* Saved views in the main navigation: a "Views" menu listing mine and the workspace's shared ones, by list. */
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { useViews } from "../lib/views";

const LIST_LABEL: Record<string, string> = { accounts: "Accounts", contacts: "Contacts", leads: "Leads", opportunities: "Opportunities" };

export function ViewsMenu({ mobile = false, onNavigate }: { mobile?: boolean; onNavigate?: () => void }) {
  const { data } = useViews();
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  const views = (data ?? []).filter((v) => v.entity in LIST_LABEL);
  if (views.length === 0) return null;
  const link = "block rounded px-3 py-1.5 text-sm text-slate-300 hover:bg-white/5 hover:text-white";
  const list = (
    <ul aria-label="Saved views" className="space-y-0.5">
      {views.map((v) => (
        <li key={v.id}>
          <Link to={`/${v.entity}?view=${v.id}`} className={link} onClick={() => { setOpen(false); onNavigate?.(); }}>
            {v.name} <span className="text-xs text-slate-400">· {LIST_LABEL[v.entity]}{v.shared ? " · shared" : ""}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
  if (mobile) return <div className="mt-2 border-t border-slate-800 pt-2"><p className="px-3 text-xs font-semibold text-slate-400 uppercase">Views</p>{list}</div>;
  return (
    <div ref={ref} className="relative">
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} className="rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap text-slate-300 hover:bg-white/5 hover:text-white">
        Views
      </button>
      <div id={id} hidden={!open} className="absolute left-0 top-full z-50 mt-2 w-72 rounded-md border border-slate-700 bg-slate-900 p-1 shadow-xl">
        {list}
      </div>
    </div>
  );
}
