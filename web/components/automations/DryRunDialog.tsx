import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { dryRunAutomation, type Automation, type AutomationDryRun } from "../../lib/automations";
import { searchRecords, type SearchType } from "../../lib/search";
import { RecordCombobox, type RecordOption } from "../RecordCombobox";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";

/** The kind of record a rule is about (what the dry run's picker searches). */
function ruleEntity(rule: Automation): SearchType {
  const t = rule.trigger;
  return "entity" in t && t.entity ? t.entity : "opportunity";
}

/** Dry run: pick a record, see whether the conditions hold and what each action would do. Nothing is written. */
export function DryRunDialog({ rule, onClose }: { rule: Automation; onClose: () => void }) {
  const [record, setRecord] = useState<RecordOption | null>(null);
  const [plan, setPlan] = useState<AutomationDryRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const type = ruleEntity(rule);

  async function run() {
    if (!record) return;
    setBusy(true);
    setError(null);
    try {
      setPlan(await dryRunAutomation(rule.id, record.id));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Dry run: ${rule.name}`}
      description="Shows what the rule would do for a record now. Nothing is changed."
      onClose={onClose}
      size="lg"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
          <Button variant="primary" disabled={!record} loading={busy} onClick={() => void run()}>
            Run dry
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <RecordCombobox
          label="Record"
          value={record}
          onChange={setRecord}
          placeholder={`Search ${type === "opportunity" ? "deals" : `${type}s`}…`}
          search={async (q, signal) => (await searchRecords(q, { signal, types: [type], limit: 10 })).groups.flatMap((g) => g.items.map((i) => ({ id: i.id, name: i.title, hint: i.subtitle })))}
        />
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        {plan && (
          <div className="space-y-3" aria-label="Dry run result">
            <p className={`text-sm font-medium ${plan.matches ? "text-emerald-700" : "text-amber-700"}`}>
              {plan.matches ? "The conditions hold: the rule would run." : "The conditions do not hold: the rule would not run."}
            </p>
            {plan.conditions.length > 0 && (
              <ul className="text-sm text-slate-700">
                {plan.conditions.map((c, i) => (
                  <li key={i}>
                    {c.ok ? "✓" : "✗"} {c.field} {c.op} {JSON.stringify(c.expected)} (is {JSON.stringify(c.actual)})
                  </li>
                ))}
              </ul>
            )}
            <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-800">
              {plan.steps.map((s) => (
                <li key={s.index}>{s.wouldDo}</li>
              ))}
            </ol>
          </div>
        )}
      </div>
    </Dialog>
  );
}
