/* The entity's saved views as tabs, and saving the grid's state: update my view, or save as a new (shared) one. */
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { useCurrentUser } from "../../lib/auth";
import type { RecordEntity } from "../../lib/records";
import { createView, deleteView, updateView, type GridState, type SavedView } from "../../lib/views";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { useToast } from "../ui/Toast";

export function ViewBar({ entity, views, current, state, dirty, onSelect, onSaved }: {
  entity: RecordEntity;
  views: readonly SavedView[];
  current: SavedView | undefined;
  state: GridState;
  dirty: boolean;
  onSelect: (id: string | null) => void;
  onSaved: (view: SavedView) => void;
}) {
  const user = useCurrentUser();
  const toast = useToast();
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [isDefault, setIsDefault] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = current && current.ownerId === user?.id;
  const tab = (active: boolean) => `rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${active ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`;

  async function saveNew() {
    setError(null);
    try {
      const v = await createView({ entity, name, shared, isDefault, ...state });
      setSaving(false);
      toast.success(`Saved the view “${v.name}”.`);
      onSaved(v);
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <nav aria-label="Views" className="flex flex-wrap items-center gap-1">
      <button type="button" className={tab(!current)} aria-current={!current ? "page" : undefined} onClick={() => onSelect(null)}>
        All
      </button>
      {views.map((v) => (
        <button key={v.id} type="button" className={tab(current?.id === v.id)} aria-current={current?.id === v.id ? "page" : undefined} onClick={() => onSelect(v.id)}>
          {v.name}
          {v.shared && <span className="sr-only"> (shared)</span>}
        </button>
      ))}
      <span className="mx-1 h-5 w-px bg-slate-300" aria-hidden="true" />
      {dirty && mine && (
        <Button size="sm" onClick={async () => { try { onSaved(await updateView(current.id, state)); toast.success("View saved."); } catch (err) { toast.error(errorMessage(err)); } }}>
          Save view
        </Button>
      )}
      <Button size="sm" variant={dirty ? "primary" : "ghost"} onClick={() => { setName(""); setShared(false); setIsDefault(false); setSaving(true); }}>
        Save as new view
      </Button>
      {mine && (
        <Button size="sm" variant="ghost" onClick={async () => { await deleteView(current.id); onSelect(null); }}>
          Delete view
        </Button>
      )}
      {saving && (
        <Dialog
          title="Save view"
          description="Saves the columns, filters, sort and grouping you see."
          onClose={() => setSaving(false)}
          footer={
            <>
              <Button onClick={() => setSaving(false)}>Cancel</Button>
              <Button variant="primary" disabled={!name.trim()} onClick={saveNew}>Save</Button>
            </>
          }
        >
          <div className="space-y-3">
            <label className="block text-sm font-medium text-slate-800">
              Name
              <input className="mt-1 h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
            </label>
            <label className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} className="size-4" />
              Share with the workspace
            </label>
            <label className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} className="size-4" />
              Open this view by default
            </label>
            {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
          </div>
        </Dialog>
      )}
    </nav>
  );
}
