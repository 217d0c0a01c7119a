/*
 * Actions on the grid's selection (or on every record matching the filter): change owner, stage (one reason), a
 * field; delete (ADMIN); export. Changes run as one server job (POST /api/bulk/{entity}); BulkProgress polls it.
 */
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { hasRole, useCurrentUser } from "../../lib/auth";
import type { StageInfo } from "../../lib/queries";
import type { RecordEntity } from "../../lib/records";
import { useUsers } from "../../lib/useUsers";
import { startBulkJob, type BulkJob } from "../../lib/views";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import type { GridColumn } from "./columns";

export interface BulkTarget {
  /** Selected ids, or null when "all matching the filter" is chosen. */
  ids: string[] | null;
  filter: Record<string, string>;
  count: number;
}

type Action = "owner" | "stage" | "field" | "delete" | null;
const field = "h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900";

export function BulkBar({ entity, target, stages, columns, onStarted, onExport, onClear }: {
  entity: RecordEntity;
  target: BulkTarget;
  stages: readonly StageInfo[];
  columns: readonly GridColumn[];
  onStarted: (job: BulkJob) => void;
  onExport: () => void;
  onClear: () => void;
}) {
  const user = useCurrentUser();
  const { users } = useUsers();
  const [action, setAction] = useState<Action>(null);
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [fieldId, setFieldId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const editable = columns.filter((c) => c.editable && c.type !== "checkbox");

  async function run() {
    const scope = target.ids ? { ids: target.ids } : { filter: target.filter };
    let body: Parameters<typeof startBulkJob>[1];
    if (action === "delete") body = { action: "delete", ...scope };
    else if (action === "owner") body = { action: "update", changes: { ownerId: value || null }, ...scope };
    else if (action === "stage") body = { action: "update", changes: { stageId: value, stageChangeReason: reason }, ...scope };
    else {
      const col = editable.find((c) => c.id === fieldId);
      if (!col) return setError("Choose a field");
      const v = value.trim() === "" ? null : ["number", "money", "percent"].includes(col.type) ? Number(value) : value;
      body = { action: "update", changes: col.id.startsWith("custom.") ? { custom: { [col.id.slice(7)]: v } } : { [col.id]: v }, ...scope };
    }
    setPending(true);
    setError(null);
    try {
      onStarted(await startBulkJob(entity, body));
      setAction(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  const title = { owner: "Change owner", stage: "Move to stage", field: "Set a field", delete: "Delete" } as const;
  return (
    <div role="region" aria-label="Bulk actions" className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2 text-sm text-slate-900">
      <span className="font-medium">{target.count.toLocaleString()} selected</span>
      {hasRole(user, "USER") && (
        <>
          <Button size="sm" onClick={() => setAction("owner")}>Change owner</Button>
          {entity === "opportunities" && <Button size="sm" onClick={() => setAction("stage")}>Change stage</Button>}
          <Button size="sm" onClick={() => setAction("field")}>Set field</Button>
        </>
      )}
      {hasRole(user, "ADMIN") && <Button size="sm" variant="danger" onClick={() => setAction("delete")}>Delete</Button>}
      <Button size="sm" onClick={onExport}>Export</Button>
      <Button size="sm" variant="ghost" onClick={onClear}>Clear selection</Button>
      {action && (
        <Dialog
          title={`${title[action]}: ${target.count.toLocaleString()} records`}
          onClose={() => setAction(null)}
          busy={pending}
          footer={
            <>
              <Button onClick={() => setAction(null)}>Cancel</Button>
              <Button variant={action === "delete" ? "danger" : "primary"} loading={pending} onClick={run} disabled={action === "stage" && (!value || !reason.trim())}>
                {action === "delete" ? "Delete" : "Apply"}
              </Button>
            </>
          }
        >
          <div className="space-y-3">
            {action === "owner" && (
              <label className="block text-sm font-medium text-slate-800">
                New owner
                <select className={field} value={value} onChange={(e) => setValue(e.target.value)}>
                  <option value="">Unassigned</option>
                  {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
                </select>
              </label>
            )}
            {action === "stage" && (
              <>
                <label className="block text-sm font-medium text-slate-800">
                  Stage
                  <select className={field} value={value} onChange={(e) => setValue(e.target.value)}>
                    <option value="">Choose…</option>
                    {stages.map((s) => <option key={s.id} value={s.id}>{s.pipelineName}: {s.name}</option>)}
                  </select>
                </label>
                <label className="block text-sm font-medium text-slate-800">
                  Reason (recorded on every deal)
                  <input className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
                </label>
              </>
            )}
            {action === "field" && (
              <>
                <label className="block text-sm font-medium text-slate-800">
                  Field
                  <select className={field} value={fieldId} onChange={(e) => setFieldId(e.target.value)}>
                    <option value="">Choose…</option>
                    {editable.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
                  </select>
                </label>
                <label className="block text-sm font-medium text-slate-800">
                  Value (empty clears it)
                  {(() => {
                    const col = editable.find((c) => c.id === fieldId);
                    const opts = col?.type === "user" ? users.map((u) => ({ value: u.id, label: u.name })) : col?.field?.options;
                    return opts ? (
                      <select className={field} value={value} onChange={(e) => setValue(e.target.value)}>
                        <option value="">—</option>
                        {opts.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                      </select>
                    ) : (
                      <input className={field} value={value} onChange={(e) => setValue(e.target.value)} />
                    );
                  })()}
                </label>
              </>
            )}
            {action === "delete" && <p className="text-sm text-slate-700">The records move to Recently deleted, where an admin can restore them for 30 days.</p>}
            {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
          </div>
        </Dialog>
      )}
    </div>
  );
}
