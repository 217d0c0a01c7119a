import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateOnly, formatDateTime, formatMoney } from "../../lib/format";
import type { Opportunity } from "../../lib/records";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";

export interface ConflictDialogProps {
  /** The newer record the server answered the 409 with. */
  current: Opportunity;
  /** The fields the user tried to change, with their values (stage as `stageId`). */
  attempted: Record<string, unknown>;
  stageName: (id: string) => string;
  userName: (id: string) => string;
  /** Sends the user's change again on top of `current.version`. */
  onReapply: () => Promise<void>;
  /** Keeps the newer version and drops the user's change. */
  onDiscard: () => void;
}

const LABELS: Record<string, string> = {
  name: "Name",
  amount: "Amount",
  closeDate: "Close date",
  ownerId: "Owner",
  stageId: "Stage",
  position: "Order in stage",
  probability: "Probability",
  accountId: "Account",
  nextStep: "Next step",
  description: "Description",
  source: "Source",
  currency: "Currency",
};

/**
 * Someone saved the deal after this user loaded it. Shows the newer version field by field next to the user's
 * change, so they can re-apply it knowingly or keep the other version.
 */
export function ConflictDialog({ current, attempted, stageName, userName, onReapply, onDiscard }: ConflictDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const show = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return "—";
    switch (field) {
      case "amount":
        return formatMoney(Number(value), current.currency);
      case "closeDate":
        return formatDateOnly(String(value));
      case "ownerId":
        return userName(String(value));
      case "stageId":
        return stageName(String(value));
      case "probability":
        return `${value}%`;
      default:
        return String(value);
    }
  };
  const fields = Object.keys(attempted).filter((k) => k in LABELS && k !== "position");
  const summaryFields = ["name", "stageId", "amount", "closeDate", "ownerId"].filter((f) => !fields.includes(f));

  async function reapply() {
    setPending(true);
    setError(null);
    try {
      await onReapply();
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <Dialog
      title="This deal was changed by someone else"
      description={`Your change was not saved: the deal is now at version ${current.version} (updated ${formatDateTime(current.updatedAt)}). Review the newer version, then re-apply your change on top of it or keep theirs.`}
      onClose={onDiscard}
      busy={pending}
      size="lg"
      footer={
        <>
          <Button onClick={onDiscard} disabled={pending}>
            Keep their version
          </Button>
          <Button variant="primary" onClick={reapply} loading={pending}>
            Re-apply my change
          </Button>
        </>
      }
    >
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Newer version compared with your change</caption>
          <thead>
            <tr className="border-b border-slate-200 text-xs text-slate-500">
              <th scope="col" className="py-2 pr-4 font-medium">
                Field
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Newer version
              </th>
              <th scope="col" className="py-2 font-medium">
                Your change
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f} className="border-b border-slate-100">
                <th scope="row" className="py-2 pr-4 font-medium text-slate-700">
                  {LABELS[f]}
                </th>
                <td className="py-2 pr-4 text-slate-700">{show(f, (current as Record<string, unknown>)[f])}</td>
                <td className="py-2 font-medium text-slate-900">{show(f, attempted[f])}</td>
              </tr>
            ))}
            {summaryFields.map((f) => (
              <tr key={f} className="border-b border-slate-100 text-slate-500">
                <th scope="row" className="py-2 pr-4 font-normal">
                  {LABELS[f]}
                </th>
                <td className="py-2 pr-4">{show(f, (current as Record<string, unknown>)[f])}</td>
                <td className="py-2 text-slate-500">unchanged</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error != null && (
        <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {errorMessage(error)}
        </p>
      )}
    </Dialog>
  );
}
