import { useState } from "react";
import { useSearchParams } from "react-router";
import { DryRunDialog } from "../../components/automations/DryRunDialog";
import { RuleBuilder } from "../../components/automations/RuleBuilder";
import { RunHistory } from "../../components/automations/RunHistory";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { SecretReveal } from "../../components/SecretReveal";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { automationQueries, deleteAutomation, TRIGGER_LABELS, updateAutomation, type Automation, type AutomationCreated } from "../../lib/automations";
import { queries } from "../../lib/queries";
import { useQueryResource } from "../../lib/useResource";

/**
 * Settings → Automations: the workspace's rules (built-in ones from the configuration file marked as such), a
 * structured builder to create and edit them, pause/resume, delete, a dry run on a chosen record, and the run
 * history of the selected rule (?rule= in the URL).
 */
export default function AutomationsSettings() {
  const toast = useToast();
  const rules = useQueryResource(automationQueries.list());
  const stages = useQueryResource(queries.stages());
  const users = useQueryResource(queries.users());
  const [params, setParams] = useSearchParams();
  const selectedId = params.get("rule");
  const [editing, setEditing] = useState<Automation | "new" | null>(null);
  const [dryRun, setDryRun] = useState<Automation | null>(null);
  const [deleting, setDeleting] = useState<Automation | null>(null);
  const [token, setToken] = useState<AutomationCreated | null>(null);

  const select = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set("rule", id);
      else next.delete("rule");
      return next;
    });

  if (rules.status === "loading") return <Skeleton className="h-40 w-full rounded-lg" />;
  if (rules.status === "error") return <ErrorState title="Couldn’t load the automations" error={rules.error} onRetry={rules.reload} />;
  const list = rules.data ?? [];
  const selected = list.find((r) => r.id === selectedId) ?? null;

  async function toggle(rule: Automation) {
    try {
      const updated = await updateAutomation(rule.id, { enabled: !rule.enabled });
      rules.setData((l) => l?.map((r) => (r.id === rule.id ? { ...updated, lastRun: r.lastRun } : r)));
      toast.success(updated.enabled ? `“${rule.name}” resumed` : `“${rule.name}” paused`);
    } catch (err) {
      toast.error(errorMessage(err));
    }
  }

  function saved(rule: AutomationCreated) {
    setEditing(null);
    if (rule.webhookToken) setToken(rule);
    rules.reload();
    toast.success(`“${rule.name}” saved`);
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm text-slate-600">When something happens and the conditions hold, the actions run in order — durably, with retries. A rule’s own changes never trigger it again.</p>
        <Button variant="primary" className="ml-auto" onClick={() => setEditing("new")} disabled={stages.status !== "success"}>
          New automation
        </Button>
      </div>

      {token && (
        <div>
          <SecretReveal
            label={`Webhook token for “${token.name}”`}
            value={token.webhookToken!}
            note={`POST /api/automations/${token.id}/webhook with the header X-Bespoke-Token. It is shown only this once.`}
          />
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setToken(null)}>
            I have stored it
          </Button>
        </div>
      )}

      {list.length === 0 ? (
        <EmptyState title="No automations" description="Create a follow-up task when a deal enters a stage, alert owners about rotting deals, call another system…" />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Automations">
          {list.map((rule) => (
            <li key={rule.id} className={`flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 ${rule.id === selectedId ? "bg-accent-soft/60" : ""}`}>
              <div className="min-w-0 flex-1 basis-64">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="truncate text-sm font-medium text-slate-900">{rule.name}</span>
                  {!rule.enabled && <Badge>Paused</Badge>}
                  {rule.source === "config" && <Badge tone="accent">Built-in</Badge>}
                  {rule.lastRun && <Badge tone={rule.lastRun.status === "failed" ? "danger" : rule.lastRun.status === "succeeded" ? "success" : "neutral"}>last run {rule.lastRun.status}</Badge>}
                </div>
                <p className="mt-0.5 truncate text-xs text-slate-600">
                  {TRIGGER_LABELS[rule.trigger.type]} · {rule.conditions.length ? `${rule.conditions.length} condition(s) · ` : ""}
                  {rule.actions.length} action(s)
                </p>
              </div>
              <div className="flex flex-wrap gap-1.5">
                <Button size="sm" variant={rule.id === selectedId ? "primary" : "secondary"} aria-pressed={rule.id === selectedId} onClick={() => select(rule.id === selectedId ? null : rule.id)}>
                  Runs<span className="sr-only"> of {rule.name}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setDryRun(rule)}>
                  Dry run<span className="sr-only"> {rule.name}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setEditing(rule)} disabled={stages.status !== "success"}>
                  Edit<span className="sr-only"> {rule.name}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => void toggle(rule)}>
                  {rule.enabled ? "Pause" : "Resume"}
                  <span className="sr-only"> {rule.name}</span>
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setDeleting(rule)}>
                  Delete<span className="sr-only"> {rule.name}</span>
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {selected && <RunHistory automationId={selected.id} name={selected.name} />}

      {editing && (
        <RuleBuilder initial={editing === "new" ? null : editing} stages={stages.data ?? []} users={users.data ?? []} onClose={() => setEditing(null)} onSaved={saved} />
      )}
      {dryRun && <DryRunDialog rule={dryRun} onClose={() => setDryRun(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          message={deleting.source === "config" ? "This rule comes from the configuration file: it returns when the file changes it. Pausing keeps it off." : "Runs in progress finish; the history stays."}
          confirmLabel="Delete"
          tone="danger"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteAutomation(deleting.id);
            if (selectedId === deleting.id) select(null);
            setDeleting(null);
            rules.reload();
          }}
        />
      )}
    </div>
  );
}
