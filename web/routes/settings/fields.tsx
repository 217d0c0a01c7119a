import { useState } from "react";
import { useSearchParams } from "react-router";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { FieldDialog } from "../../components/custom-fields/FieldDialog";
import { errorMessage } from "../../lib/api";
import { hasRole, useCurrentUser } from "../../lib/auth";
import {
  deleteField,
  ENTITY_LABELS,
  listFields,
  restoreField,
  typeLabel,
  type CustomField,
  type CustomFieldEntity,
} from "../../lib/custom-fields";
import { useResource } from "../../lib/useResource";

const ENTITIES = Object.keys(ENTITY_LABELS) as CustomFieldEntity[];
const DAY_MS = 86_400_000;

/**
 * Settings → Fields: the custom fields of each record type. ADMIN adds, edits (a type change shows what converts
 * before it happens), deletes and restores them; everyone else sees the list read-only.
 */
export default function FieldsSettings() {
  const user = useCurrentUser();
  const canEdit = hasRole(user, "ADMIN");
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const entity = (ENTITIES as string[]).includes(params.get("entity") ?? "") ? (params.get("entity") as CustomFieldEntity) : "opportunity";
  const fields = useResource(`settings-fields-${entity}`, (signal) => listFields({ entity }, { signal }));
  const trash = useResource(`settings-fields-trash-${entity}`, (signal) => listFields({ entity, deleted: true }, { signal }));
  const [editing, setEditing] = useState<CustomField | "new" | null>(null);
  const [deleting, setDeleting] = useState<CustomField | null>(null);

  const changed = () => {
    // The write itself refetched every reader of the fields (lib/query.ts); this screen's own lists reload here.
    fields.reload();
    trash.reload();
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <div role="tablist" aria-label="Record type" className="flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
          {ENTITIES.map((e) => (
            <button
              key={e}
              role="tab"
              type="button"
              aria-selected={e === entity}
              onClick={() => setParams({ entity: e }, { replace: true })}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${e === entity ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
            >
              {ENTITY_LABELS[e]}
            </button>
          ))}
        </div>
        {canEdit ? (
          <Button variant="primary" className="ml-auto" onClick={() => setEditing("new")}>
            Add field
          </Button>
        ) : (
          <p className="ml-auto text-sm text-slate-600">Only admins can change fields.</p>
        )}
      </div>

      {fields.status === "loading" ? (
        <div className="space-y-2" aria-hidden="true">
          <Skeleton className="h-14 w-full rounded-lg" />
          <Skeleton className="h-14 w-full rounded-lg" />
        </div>
      ) : fields.status === "error" ? (
        <ErrorState title="Couldn’t load the fields" error={fields.error} onRetry={fields.reload} />
      ) : (fields.data ?? []).length === 0 ? (
        <EmptyState title={`No custom fields on ${ENTITY_LABELS[entity].toLowerCase()}`} description="Add one to track what your business needs: a segment, a renewal date, a contract value…" />
      ) : (
        <ul aria-label={`Custom fields on ${ENTITY_LABELS[entity].toLowerCase()}`} className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {(fields.data ?? []).map((f) => (
            <li key={f.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-field-key={f.key}>
              <div className="min-w-0 flex-1 basis-64">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-slate-900">{f.label}</span>
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">custom.{f.key}</code>
                  <Badge>{typeLabel(f.type)}</Badge>
                  {f.required && <Badge tone="warning">Required</Badge>}
                  {f.showOnCard && <Badge tone="accent">On cards</Badge>}
                  {f.showInQuickCreate && <Badge tone="accent">Quick create</Badge>}
                  {f.filterable && <Badge tone="success">Filterable</Badge>}
                  {f.source === "config" && <Badge>From configuration</Badge>}
                </div>
                {f.options.length > 0 && (
                  <p className="mt-1 flex flex-wrap gap-1.5 text-xs">
                    {f.options.map((o) => (
                      <span key={o.value} className="inline-flex items-center gap-1 rounded-full border border-slate-200 px-2 py-0.5 text-slate-700">
                        <span aria-hidden="true" className="size-2 rounded-full" style={{ background: o.color ?? "#94a3b8" }} />
                        {o.label}
                      </span>
                    ))}
                  </p>
                )}
                {f.helpText && <p className="mt-1 text-xs text-slate-600">{f.helpText}</p>}
              </div>
              {canEdit && (
                <div className="flex gap-1.5">
                  <Button size="sm" variant="ghost" onClick={() => setEditing(f)}>
                    Edit<span className="sr-only"> {f.label}</span>
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setDeleting(f)}>
                    Delete<span className="sr-only"> {f.label}</span>
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      {(trash.data ?? []).length > 0 && (
        <section aria-labelledby="fields-trash">
          <h2 id="fields-trash" className="text-sm font-semibold text-slate-900">
            Recently deleted
          </h2>
          <p className="text-sm text-slate-600">Values are kept; restore a field within 30 days of deleting it to get it back as it was.</p>
          <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-dashed border-slate-300 bg-white">
            {(trash.data ?? []).map((f) => {
              const days = Math.max(0, Math.ceil((Date.parse(f.restorableUntil!) - Date.now()) / DAY_MS));
              return (
                <li key={f.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                  <span className="flex-1 text-sm text-slate-700">
                    {f.label} <code className="text-xs text-slate-500">custom.{f.key}</code> · {typeLabel(f.type)}
                  </span>
                  <span className="text-xs text-slate-600">
                    {days} day{days === 1 ? "" : "s"} left
                  </span>
                  {canEdit && (
                    <Button
                      size="sm"
                      onClick={async () => {
                        try {
                          await restoreField(f.id);
                          toast.success(`“${f.label}” restored`);
                          changed();
                        } catch (err) {
                          toast.error(errorMessage(err));
                        }
                      }}
                    >
                      Restore<span className="sr-only"> {f.label}</span>
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {editing && (
        <FieldDialog
          entity={entity}
          field={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(message) => {
            toast.success(message);
            setEditing(null);
            changed();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.label}”?`}
          message="The field disappears from forms, lists and cards. Its values are kept, and you can restore it for 30 days."
          confirmLabel="Delete field"
          tone="danger"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteField(deleting.id);
            toast.success(`“${deleting.label}” deleted — restorable for 30 days`);
            setDeleting(null);
            changed();
          }}
        />
      )}
    </div>
  );
}
