import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { RefreshIcon } from "../../components/icons";
import { SecretReveal } from "../../components/SecretReveal";
import { Badge, type BadgeTone } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { Dialog } from "../../components/ui/Dialog";
import { SelectField } from "../../components/ui/SelectField";
import { Skeleton } from "../../components/ui/Skeleton";
import { TextField } from "../../components/ui/TextField";
import { useToast } from "../../components/ui/Toast";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
  WEBHOOK_EVENTS,
  type CreatedWebhook,
  type DeliveryStatus,
  type Webhook,
  type WebhookCreate,
  type WebhookDelivery,
} from "../../lib/admin";
import { ApiError, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { useResource } from "../../lib/useResource";

const STATUS_TONE: Record<DeliveryStatus, BadgeTone> = { pending: "neutral", succeeded: "success", failed: "warning", dead: "danger" };
const STATUS_LABEL: Record<DeliveryStatus, string> = { pending: "Pending", succeeded: "Delivered", failed: "Retrying", dead: "Failed" };

/** Event names grouped by record type ("opportunity" → stage_changed, created …) for the checkbox lists. */
const EVENT_GROUPS = Object.entries(
  WEBHOOK_EVENTS.reduce<Record<string, string[]>>((groups, event) => {
    const [entity] = event.split(".");
    (groups[entity!] ??= []).push(event);
    return groups;
  }, {}),
);

/**
 * Settings → Webhooks: endpoints (create with the signing secret shown once, edit, pause, delete) and, for the
 * selected one (?endpoint= in the URL), its delivery log with redelivery.
 */
export default function WebhooksSettings() {
  const toast = useToast();
  const hooks = useResource("settings-webhooks", (signal) => listWebhooks({ signal }));
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get("endpoint");
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);

  const select = (id: string | null) =>
    setSearchParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set("endpoint", id);
      else next.delete("endpoint");
      return next;
    });

  if (hooks.status === "loading") {
    return (
      <div className="space-y-2" aria-hidden="true">
        <Skeleton className="h-16 w-full rounded-lg" />
        <Skeleton className="h-16 w-full rounded-lg" />
      </div>
    );
  }
  if (hooks.status === "error") return <ErrorState title="Couldn’t load the webhooks" error={hooks.error} onRetry={hooks.reload} />;
  const list = hooks.data ?? [];
  const selected = list.find((h) => h.id === selectedId) ?? null;

  async function toggle(hook: Webhook) {
    try {
      const updated = await updateWebhook(hook.id, { active: !hook.active });
      hooks.setData((l) => l?.map((h) => (h.id === hook.id ? updated : h)));
      toast.success(updated.active ? "Deliveries resumed" : "Deliveries paused");
    } catch (err) {
      toast.error(errorMessage(err));
    }
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm text-slate-600">
          Each event is POSTed as JSON and signed (HMAC-SHA256) with the endpoint’s secret; failed deliveries are retried with backoff and can be redelivered from the log.
        </p>
        <Button variant="primary" className="ml-auto" onClick={() => setEditing("new")}>
          Add endpoint
        </Button>
      </div>

      {created && (
        <div>
          <SecretReveal label={`Signing secret for ${created.url}`} value={created.secret} note="Use it to verify the signature of each delivery. It is shown only this once." />
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setCreated(null)}>
            I have stored it
          </Button>
        </div>
      )}

      {list.length === 0 ? (
        <EmptyState title="No webhook endpoints" description="Add one to notify another system when deals move, leads convert or records change." />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {list.map((hook) => (
            <li key={hook.id} className={`flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 ${hook.id === selectedId ? "bg-accent-soft/60" : ""}`}>
              <div className="min-w-0 flex-1 basis-64">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="truncate font-mono text-sm text-slate-900">{hook.url}</span>
                  <Badge tone={hook.active ? "success" : "neutral"}>{hook.active ? "Active" : "Paused"}</Badge>
                </div>
                <p className="mt-0.5 truncate text-xs text-slate-600">
                  {hook.description ? `${hook.description} · ` : ""}
                  {hook.events.length === WEBHOOK_EVENTS.length ? "All events" : `${hook.events.length} event${hook.events.length === 1 ? "" : "s"}: ${hook.events.slice(0, 3).join(", ")}${hook.events.length > 3 ? "…" : ""}`}
                </p>
              </div>
              <div className="flex flex-wrap gap-1.5">
                <Button size="sm" variant={hook.id === selectedId ? "primary" : "secondary"} aria-pressed={hook.id === selectedId} onClick={() => select(hook.id === selectedId ? null : hook.id)}>
                  Deliveries<span className="sr-only"> to {hook.url}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setEditing(hook)}>
                  Edit<span className="sr-only"> {hook.url}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => void toggle(hook)}>
                  {hook.active ? "Pause" : "Resume"}
                  <span className="sr-only"> {hook.url}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setDeleting(hook)}>
                  Delete<span className="sr-only"> {hook.url}</span>
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {selected && <DeliveryLog key={selected.id} hook={selected} />}

      {editing && (
        <WebhookDialog
          hook={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(hook) => {
            hooks.setData((l) => (l?.some((h) => h.id === hook.id) ? l.map((h) => (h.id === hook.id ? hook : h)) : [...(l ?? []), hook]));
            if ("secret" in hook) setCreated(hook as CreatedWebhook);
            else toast.success("Endpoint saved");
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this endpoint?"
          message={`${deleting.url} stops receiving events; deliveries still queued for it are not sent.`}
          confirmLabel="Delete endpoint"
          tone="danger"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteWebhook(deleting.id);
            hooks.setData((l) => l?.filter((h) => h.id !== deleting.id));
            if (selectedId === deleting.id) select(null);
            toast.success("Endpoint deleted");
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}

function WebhookDialog({ hook, onClose, onSaved }: { hook: Webhook | null; onClose: () => void; onSaved: (hook: Webhook | CreatedWebhook) => void }) {
  const [url, setUrl] = useState(hook?.url ?? "https://");
  const [description, setDescription] = useState(hook?.description ?? "");
  const [events, setEvents] = useState<Set<string>>(() => new Set(hook?.events ?? ["opportunity.stage_changed", "lead.converted"]));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const toggle = (event: string, on: boolean) =>
    setEvents((set) => {
      const next = new Set(set);
      if (on) next.add(event);
      else next.delete(event);
      return next;
    });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    try {
      const parsed = new URL(url.trim());
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") problems.url = "Use an http(s) URL";
    } catch {
      problems.url = "Enter a full URL, e.g. https://example.com/hooks/crm";
    }
    if (events.size === 0) problems.events = "Choose at least one event";
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setPending(true);
    setFailure(null);
    const body = { url: url.trim(), description: description.trim() || null, events: [...events] as WebhookCreate["events"] };
    try {
      onSaved(hook ? await updateWebhook(hook.id, body) : await createWebhook(body));
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.errors?.length) {
        const fe = err.fieldErrors;
        setErrors({ url: fe.url ? `URL ${fe.url}` : "", events: fe.events ? `Events: ${fe.events}` : "" });
        if (!fe.url && !fe.events) setFailure(err);
      } else setFailure(err);
    }
  }

  return (
    <Dialog
      title={hook ? "Edit endpoint" : "Add a webhook endpoint"}
      size="lg"
      onClose={onClose}
      busy={pending}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form="webhook-form" variant="primary" loading={pending}>
            {hook ? "Save" : "Add endpoint"}
          </Button>
        </>
      }
    >
      <form id="webhook-form" onSubmit={submit} noValidate className="space-y-4">
        {failure !== null && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(failure)}
          </p>
        )}
        <TextField label="Endpoint URL" type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} error={errors.url || undefined} />
        <TextField label="Description" hint="Optional: what listens here" value={description} onChange={(e) => setDescription(e.target.value)} />
        <fieldset aria-describedby={errors.events ? "webhook-events-error" : undefined}>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          {errors.events && (
            <p id="webhook-events-error" className="mt-1 text-sm text-red-600">
              {errors.events}
            </p>
          )}
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {EVENT_GROUPS.map(([entity, names]) => {
              const all = names.every((n) => events.has(n));
              return (
                <div key={entity} className="rounded-md border border-slate-200 p-2.5">
                  <label className="flex items-center gap-2 text-sm font-medium text-slate-900 capitalize">
                    <input type="checkbox" checked={all} onChange={(e) => names.forEach((n) => toggle(n, e.target.checked))} className="accent-(--accent)" />
                    {entity} — all
                  </label>
                  <div className="mt-1.5 space-y-1 pl-6">
                    {names.map((n) => (
                      <label key={n} className="flex items-center gap-2 font-mono text-xs text-slate-700">
                        <input type="checkbox" checked={events.has(n)} onChange={(e) => toggle(n, e.target.checked)} className="accent-(--accent)" />
                        {n}
                      </label>
                    ))}
                  </div>
                </div>
              );
            })}
          </div>
        </fieldset>
      </form>
    </Dialog>
  );
}

function DeliveryLog({ hook }: { hook: Webhook }) {
  const toast = useToast();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [extra, setExtra] = useState<WebhookDelivery[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const page = useResource(`deliveries:${hook.id}:${status}`, async (signal) => {
    const first = await listDeliveries(hook.id, { status: status || undefined }, { signal });
    setExtra([]);
    setCursor(first.nextCursor);
    return first.data;
  });
  const rows = [...(page.data ?? []), ...extra];

  async function more() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const next = await listDeliveries(hook.id, { status: status || undefined, cursor });
      setExtra((list) => [...list, ...next.data]);
      setCursor(next.nextCursor);
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  async function retry(delivery: WebhookDelivery) {
    setBusy(delivery.id);
    try {
      const updated = await redeliver(delivery.id);
      page.setData((list) => list?.map((d) => (d.id === delivery.id ? updated : d)));
      setExtra((list) => list.map((d) => (d.id === delivery.id ? updated : d)));
      toast.success(`Redelivery of ${delivery.eventType} queued`);
    } catch (err) {
      toast.error(`Couldn’t redeliver: ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="delivery-log-title" className="rounded-lg border border-slate-200 bg-white">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-3">
        <h3 id="delivery-log-title" className="min-w-0 text-sm font-semibold text-slate-900">
          Deliveries to <span className="font-mono font-normal break-all">{hook.url}</span>
        </h3>
        <div className="ml-auto flex items-center gap-2">
          <SelectField label="Status" hideLabel value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")} className="w-36">
            <option value="">All statuses</option>
            {(Object.keys(STATUS_LABEL) as DeliveryStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </SelectField>
          <Button size="sm" variant="ghost" onClick={page.reload} loading={page.isRefreshing}>
            <RefreshIcon className="size-4" />
            <span className="sr-only">Refresh deliveries</span>
          </Button>
        </div>
      </div>
      {page.status === "loading" ? (
        <div className="space-y-2 p-4" aria-hidden="true">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : page.status === "error" ? (
        <ErrorState title="Couldn’t load the deliveries" error={page.error} onRetry={page.reload} />
      ) : rows.length === 0 ? (
        <p className="px-4 py-8 text-center text-sm text-slate-500">No deliveries{status ? ` with status “${STATUS_LABEL[status]}”` : " yet"}.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((d) => (
            <li key={d.id} className="px-4 py-2.5 text-sm">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <Badge tone={STATUS_TONE[d.status]}>{STATUS_LABEL[d.status]}</Badge>
                <span className="font-mono text-xs text-slate-800">{d.eventType}</span>
                <span className="text-xs text-slate-500">
                  {formatDateTime(d.createdAt)} · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                  {d.lastStatusCode !== null && ` · HTTP ${d.lastStatusCode}`}
                </span>
                {(d.status === "failed" || d.status === "dead") && (
                  <Button size="sm" className="ml-auto" loading={busy === d.id} onClick={() => void retry(d)}>
                    Redeliver
                  </Button>
                )}
              </div>
              {d.lastError && <p className="mt-1 text-xs break-words text-red-700">{d.lastError}</p>}
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-700">Payload</summary>
                <pre className="mt-1 max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{JSON.stringify(d.payload, null, 2)}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
      {cursor && page.status === "success" && (
        <div className="border-t border-slate-100 px-4 py-2 text-center">
          <Button size="sm" variant="ghost" loading={loadingMore} onClick={() => void more()}>
            Load older deliveries
          </Button>
        </div>
      )}
    </section>
  );
}
