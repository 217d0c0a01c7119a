import { ACTION_LABELS, type Action } from "../../lib/automations";
import type { User } from "../../lib/api-types";
import type { StageInfo } from "../../lib/queries";
import { Button } from "../ui/Button";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";

type Unit = "minutes" | "hours" | "days";

export function newAction(type: Action["type"]): Action {
  switch (type) {
    case "create_task":
      return { type, title: "Follow up on {{record.name}}", assignee: "owner", dueIn: { amount: 2, unit: "days" } };
    case "update_fields":
      return { type, fields: { nextStep: "" } };
    case "move_stage":
      return { type, stage: "", reason: "Moved by an automation" };
    case "notify":
      return { type, to: ["owner"], title: "{{record.name}} needs attention" };
    case "send_email":
      return { type, to: "owner", subject: "{{record.name}}", body: "Hello,\n\n{{record.name}} needs your attention." };
    case "call_webhook":
      return { type, url: "https://" };
    case "ask_ai":
      return { type, kind: "next_best_actions" };
    case "wait":
      return { type, for: { amount: 1, unit: "days" } };
  }
}

/** "field = value" per line ⇄ { field: value }; numbers stay numbers. */
const fieldsText = (f: Record<string, unknown>) => Object.entries(f).map(([k, v]) => `${k} = ${v === null ? "" : String(v)}`).join("\n");
function parseFields(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at < 1) continue;
    const v = line.slice(at + 1).trim();
    out[line.slice(0, at).trim()] = v === "" ? null : !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return out;
}

/** One action of a rule, with the inputs its type needs. */
export function ActionEditor({
  index,
  action,
  stages,
  users,
  onChange,
  onRemove,
}: {
  index: number;
  action: Action;
  stages: StageInfo[];
  users: User[];
  onChange: (a: Action) => void;
  onRemove?: () => void;
}) {
  const n = index + 1;
  const userOptions = (
    <>
      <option value="owner">The record’s owner</option>
      {users.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}
        </option>
      ))}
    </>
  );
  const duration = (d: { amount: number; unit: Unit } | undefined, set: (d: { amount: number; unit: Unit }) => void, label: string) => (
    <div className="grid grid-cols-2 gap-2">
      <TextField label={`${label} (amount)`} type="number" min={1} value={d?.amount ?? 1} onChange={(e) => set({ amount: Math.max(1, Number(e.target.value) || 1), unit: d?.unit ?? "days" })} />
      <SelectField label={`${label} (unit)`} value={d?.unit ?? "days"} onChange={(e) => set({ amount: d?.amount ?? 1, unit: e.target.value as Unit })}>
        <option value="minutes">minutes</option>
        <option value="hours">hours</option>
        <option value="days">days</option>
      </SelectField>
    </div>
  );

  return (
    <fieldset className="space-y-2 rounded-md bg-slate-50 p-3" aria-label={`Action ${n}`}>
      <div className="flex items-end gap-2">
        <SelectField label={`Action ${n} type`} className="flex-1" value={action.type} onChange={(e) => onChange(newAction(e.target.value as Action["type"]))}>
          {Object.entries(ACTION_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        {onRemove && (
          <Button size="sm" variant="ghost" onClick={onRemove}>
            Remove<span className="sr-only"> action {n}</span>
          </Button>
        )}
      </div>
      {action.type === "create_task" && (
        <>
          <TextField label="Task title" hint="{{record.name}} and {{record.<field>}} are filled in" value={action.title} onChange={(e) => onChange({ ...action, title: e.target.value })} />
          <SelectField label="Assignee" value={action.assignee ?? "owner"} onChange={(e) => onChange({ ...action, assignee: e.target.value })}>
            {userOptions}
          </SelectField>
          {duration(action.dueIn, (dueIn) => onChange({ ...action, dueIn }), "Due in")}
        </>
      )}
      {action.type === "update_fields" && (
        <label className="block text-sm font-medium text-slate-700">
          Fields (one “field = value” per line)
          <textarea
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
            rows={3}
            defaultValue={fieldsText(action.fields)}
            onChange={(e) => onChange({ ...action, fields: parseFields(e.target.value) })}
          />
        </label>
      )}
      {action.type === "move_stage" && (
        <>
          <SelectField label="Stage" value={action.stage} onChange={(e) => onChange({ ...action, stage: e.target.value })}>
            <option value="">Choose a stage…</option>
            {stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.pipelineName}: {s.name}
              </option>
            ))}
          </SelectField>
          <TextField label="Reason" value={action.reason} onChange={(e) => onChange({ ...action, reason: e.target.value })} />
        </>
      )}
      {action.type === "notify" && (
        <>
          <SelectField label="Recipient" value={action.to[0] ?? "owner"} onChange={(e) => onChange({ ...action, to: [e.target.value] })}>
            {userOptions}
          </SelectField>
          <TextField label="Message" value={action.title} onChange={(e) => onChange({ ...action, title: e.target.value })} />
        </>
      )}
      {action.type === "send_email" && (
        <>
          <TextField label="To" hint="owner, or an e-mail address" value={action.to} onChange={(e) => onChange({ ...action, to: e.target.value.trim() })} />
          <TextField label="Subject" value={action.subject} onChange={(e) => onChange({ ...action, subject: e.target.value })} />
          <label className="block text-sm font-medium text-slate-700">
            Body
            <textarea className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" rows={4} value={action.body} onChange={(e) => onChange({ ...action, body: e.target.value })} />
          </label>
        </>
      )}
      {action.type === "call_webhook" && <TextField label="URL" type="url" value={action.url} onChange={(e) => onChange({ ...action, url: e.target.value.trim() })} />}
      {action.type === "ask_ai" && (
        <SelectField label="Ask for" value={action.kind} onChange={(e) => onChange({ ...action, kind: e.target.value as "summary" })}>
          <option value="next_best_actions">Next best actions (deals)</option>
          <option value="summary">A summary</option>
        </SelectField>
      )}
      {action.type === "wait" && duration(action.for, (d) => onChange({ type: "wait", for: d }), "Wait")}
    </fieldset>
  );
}
