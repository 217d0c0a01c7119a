/* Which columns show, in which order: a checkbox per column and move up/down for the shown ones. */
import type { GridColumn } from "./columns";
import { Button } from "../ui/Button";

export function ColumnChooser({ all, shown, onChange }: { all: readonly GridColumn[]; shown: readonly string[]; onChange: (ids: string[]) => void }) {
  const move = (id: string, by: number) => {
    const i = shown.indexOf(id);
    const j = i + by;
    if (j < 0 || j >= shown.length) return;
    const next = [...shown];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  const ordered = [...shown.map((id) => all.find((c) => c.id === id)).filter((c): c is GridColumn => !!c), ...all.filter((c) => !shown.includes(c.id))];
  return (
    <ul aria-label="Columns" className="max-h-96 space-y-0.5 overflow-auto">
      {ordered.map((c) => {
        const on = shown.includes(c.id);
        return (
          <li key={c.id} className="flex items-center gap-2 rounded px-1 py-0.5 hover:bg-slate-50">
            <label className="flex flex-1 items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={on} disabled={c.primary} onChange={() => onChange(on ? shown.filter((x) => x !== c.id) : [...shown, c.id])} className="size-4" />
              {c.label}
              {c.id.startsWith("custom.") && <span className="text-xs text-slate-500">custom</span>}
            </label>
            {on && (
              <>
                <Button size="sm" variant="ghost" aria-label={`Move ${c.label} left`} onClick={() => move(c.id, -1)}>
                  ↑
                </Button>
                <Button size="sm" variant="ghost" aria-label={`Move ${c.label} right`} onClick={() => move(c.id, 1)}>
                  ↓
                </Button>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
