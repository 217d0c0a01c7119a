import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import type { User } from "../../lib/api-types";
import { createAutomation, TRIGGER_LABELS, updateAutomation, type Action, type Automation, type AutomationCreated, type Condition, type RuleInput, type Trigger } from "../../lib/automations";
import type { StageInfo } from "../../lib/queries";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";
import { ActionEditor, newAction } from "./ActionEditor";
import { ConditionRow } from "./ConditionRow";

const ENTITIES = [
  ["opportunity", "Deal"],
  ["account", "Account"],
  ["contact", "Contact"],
  ["lead", "Lead"],
] as const;

function newTrigger(type: Trigger["type"], stages: StageInfo[]): Trigger {
  switch (type) {
    case "record_created":
      return { type, entity: "opportunity" };
    case "field_changed":
      return { type, entity: "opportunity", fields: ["amount"] };
    case "stage_entered":
    case "stage_left":
      return { type, stages: stages[1] ? [stages[1].id] : [] };
    case "schedule":
      return { type, every: "day", hour: 8, weekday: 1 };
    case "webhook":
      return { type, entity: "opportunity" };
    default:
      return { type } as Trigger;
  }
}

/**
 * The structured rule builder (Settings → Automations): When (trigger) → Only if (conditions, all must hold) →
 * Then (actions, in order). It edits the same JSON the API takes; the API's field errors are listed by path.
 */
export function RuleBuilder({
  initial,
  stages,
  users,
  onClose,
  onSaved,
}: {
  initial: Automation | null;
  stages: StageInfo[];
  users: User[];
  onClose: () => void;
  onSaved: (saved: AutomationCreated) => void;
}) {
  const [name, setName] = useState(initial?.name ?? "");
  const [trigger, setTrigger] = useState<Trigger>(initial?.trigger ?? newTrigger("stage_entered", stages));
  const [conditions, setConditions] = useState<Condition[]>(initial?.conditions ?? []);
  const [actions, setActions] = useState<Action[]>(initial?.actions ?? [newAction("create_task")]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ detail: string; errors: { path: string; message: string }[] } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setProblem(null);
    const body = { name, trigger, conditions, actions } as RuleInput;
    try {
      onSaved(initial ? await updateAutomation(initial.id, { ...body, version: initial.version }) : await createAutomation(body));
    } catch (err) {
      setProblem({ detail: errorMessage(err), errors: err instanceof ApiError ? (err.errors ?? []) : [] });
      setSaving(false);
    }
  }

  const stageChecks = (t: Extract<Trigger, { stages?: string[] }>) => (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-700">Stages (none ticked = any stage)</legend>
      <div className="grid max-h-40 grid-cols-1 gap-1 overflow-y-auto sm:grid-cols-2">
        {stages.map((s) => (
          <label key={s.id} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={(t.stages ?? []).includes(s.id)}
              onChange={(ev) => setTrigger({ ...t, stages: ev.target.checked ? [...(t.stages ?? []), s.id] : (t.stages ?? []).filter((x) => x !== s.id) } as Trigger)}
            />
            {s.pipelineName}: {s.name}
          </label>
        ))}
      </div>
    </fieldset>
  );

  return (
    <Dialog
      title={initial ? `Edit “${initial.name}”` : "New automation"}
      description="When something happens, and the conditions hold, run the actions in order."
      onClose={onClose}
      size="lg"
      busy={saving}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="rule-builder" loading={saving}>
            {initial ? "Save rule" : "Create rule"}
          </Button>
        </>
      }
    >
      <form id="rule-builder" onSubmit={(e) => void submit(e)} className="space-y-5">
        <TextField label="Name" value={name} required maxLength={120} onChange={(e) => setName(e.target.value)} placeholder="Follow up after the proposal" />

        <section aria-labelledby="rb-when" className="space-y-3 rounded-lg border border-slate-200 p-3">
          <h3 id="rb-when" className="text-sm font-semibold text-slate-900">
            When
          </h3>
          <SelectField label="Trigger" value={trigger.type} onChange={(e) => setTrigger(newTrigger(e.target.value as Trigger["type"], stages))}>
            {Object.entries(TRIGGER_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          {(trigger.type === "record_created" || trigger.type === "field_changed" || trigger.type === "webhook") && (
            <SelectField label="Record type" value={trigger.entity ?? "opportunity"} onChange={(e) => setTrigger({ ...trigger, entity: e.target.value as "opportunity" })}>
              {ENTITIES.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </SelectField>
          )}
          {trigger.type === "field_changed" && (
            <TextField
              label="Fields to watch"
              hint="Comma-separated, e.g. amount, closeDate, custom.renewalDate"
              value={trigger.fields.join(", ")}
              onChange={(e) => setTrigger({ ...trigger, fields: e.target.value.split(",").map((f) => f.trim()).filter(Boolean) })}
            />
          )}
          {(trigger.type === "stage_entered" || trigger.type === "stage_left") && stageChecks(trigger)}
          {trigger.type === "schedule" && (
            <div className="grid grid-cols-2 gap-3">
              <SelectField label="Every" value={trigger.every} onChange={(e) => setTrigger({ ...trigger, every: e.target.value as "day" })}>
                <option value="hour">Hour</option>
                <option value="day">Day</option>
                <option value="week">Week (Monday)</option>
              </SelectField>
              <TextField label="At hour (UTC)" type="number" min={0} max={23} value={trigger.hour ?? 8} onChange={(e) => setTrigger({ ...trigger, hour: Number(e.target.value) })} />
            </div>
          )}
          {trigger.type === "webhook" && <p className="text-xs text-slate-600">The token to call it with is shown once, after saving.</p>}
        </section>

        <section aria-labelledby="rb-if" className="space-y-3 rounded-lg border border-slate-200 p-3">
          <div className="flex items-center justify-between">
            <h3 id="rb-if" className="text-sm font-semibold text-slate-900">
              Only if <span className="font-normal text-slate-500">(all must hold)</span>
            </h3>
            <Button size="sm" variant="ghost" onClick={() => setConditions([...conditions, { field: "amount", op: "gte", value: 0 }])}>
              Add condition
            </Button>
          </div>
          {conditions.length === 0 && <p className="text-sm text-slate-500">Always.</p>}
          {conditions.map((c, i) => (
            <ConditionRow
              key={i}
              index={i}
              condition={c}
              onChange={(next) => setConditions(conditions.map((x, j) => (j === i ? next : x)))}
              onRemove={() => setConditions(conditions.filter((_, j) => j !== i))}
            />
          ))}
        </section>

        <section aria-labelledby="rb-then" className="space-y-3 rounded-lg border border-slate-200 p-3">
          <div className="flex items-center justify-between">
            <h3 id="rb-then" className="text-sm font-semibold text-slate-900">
              Then
            </h3>
            <Button size="sm" variant="ghost" onClick={() => setActions([...actions, newAction("notify")])}>
              Add action
            </Button>
          </div>
          {actions.map((a, i) => (
            <ActionEditor
              key={i}
              index={i}
              action={a}
              stages={stages}
              users={users}
              onChange={(next) => setActions(actions.map((x, j) => (j === i ? next : x)))}
              onRemove={actions.length > 1 ? () => setActions(actions.filter((_, j) => j !== i)) : undefined}
            />
          ))}
        </section>

        {problem && (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            <p>{problem.detail}</p>
            {problem.errors.length > 0 && (
              <ul className="mt-1 list-disc pl-5">
                {problem.errors.map((e) => (
                  <li key={`${e.path}:${e.message}`}>
                    <code>{e.path}</code> {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </Dialog>
  );
}
