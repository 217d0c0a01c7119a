import type { ReactNode } from "react";
import { toCsv } from "../../lib/csv";
import { formatCount, pluralize } from "../../lib/format";
import type { ImportResult } from "../../lib/import-api";
import { MATCH_KEY_LABEL, MATCH_KEYS, type ImportEntity } from "../../lib/import-mapping";
import { Button } from "../ui/Button";

export function Summary({ result, entity, dryRun = false }: { result: ImportResult; entity: { label: string; one: string }; dryRun?: boolean }) {
  const items: { label: string; value: number; tone: string }[] = [
    { label: dryRun ? "would be created" : "created", value: result.created, tone: "text-emerald-700" },
    { label: dryRun ? "would be updated" : "updated", value: result.updated, tone: "text-sky-700" },
    { label: "unchanged", value: result.unchanged, tone: "text-slate-700" },
    { label: "skipped (errors)", value: result.skipped, tone: result.skipped ? "text-red-700" : "text-slate-700" },
  ];
  if (result.duplicates === "skip") items.push({ label: "left alone (already exist)", value: result.duplicatesSkipped, tone: "text-slate-700" });
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-sm text-slate-600">
        {pluralize(result.rows, "row")} of {entity.label.toLowerCase()} in the file
        {result.accountsCreated > 0 && ` · ${pluralize(result.accountsCreated, "new account")} ${dryRun ? "would be" : "were"} created for unknown company names`}
      </p>
      <dl className={`mt-3 grid grid-cols-2 gap-4 ${items.length > 4 ? "sm:grid-cols-5" : "sm:grid-cols-4"}`}>
        {items.map((i) => (
          <div key={i.label}>
            <dt className="text-xs text-slate-500">{i.label}</dt>
            <dd className={`tabular text-2xl font-semibold ${i.tone}`}>{formatCount(i.value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function ErrorTable({ result }: { result: ImportResult }) {
  const shown = result.errors.slice(0, 200);
  function download() {
    const csv = toCsv(["row", "column", "message"], result.errors.map((e) => [String(e.row), e.column ?? "", e.message]));
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: "import-errors.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <div className="rounded-lg border border-red-200 bg-white">
      <div className="flex flex-wrap items-center gap-3 border-b border-red-100 bg-red-50 px-4 py-2.5">
        <h3 className="text-sm font-semibold text-red-800">
          {pluralize(result.errors.length, "problem")}
          {result.errorsTruncated && " (the first 1,000 are listed)"}
        </h3>
        <Button size="sm" className="ml-auto" onClick={download}>
          Download as CSV
        </Button>
      </div>
      <div className="max-h-96 overflow-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Rows that cannot be imported</caption>
          <thead className="sticky top-0 bg-white text-xs font-medium text-slate-600 shadow-[0_1px_0_var(--color-slate-200)]">
            <tr>
              <th scope="col" className="w-20 px-4 py-2">Row</th>
              <th scope="col" className="w-48 px-4 py-2">Column</th>
              <th scope="col" className="px-4 py-2">Problem</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((e, i) => (
              <tr key={`${e.row}-${e.column}-${i}`}>
                <td className="tabular px-4 py-2 text-slate-700">{e.row}</td>
                <td className="px-4 py-2 text-slate-700">{e.column ?? "—"}</td>
                <td className="px-4 py-2 text-slate-900">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.errors.length > shown.length && <Note>…and {formatCount(result.errors.length - shown.length)} more in the CSV download.</Note>}
      </div>
    </div>
  );
}

function Note({ children }: { children: ReactNode }) {
  return <p className="px-4 py-2 text-xs text-slate-500">{children}</p>;
}

/** What the duplicate handling does with the matched rows, after "It"/"They". */
const OUTCOME = {
  update: { dry: "will be updated where the file differs", done: "were updated where the file differed" },
  skip: { dry: "will be left alone", done: "were left alone" },
  create: { dry: "will be created as new records anyway", done: "were created as new records" },
} as const;

/** How many rows matched existing records and by which key, and what the chosen duplicate handling does with them. */
export function MatchSummary({ result, entity, dryRun = false }: { result: ImportResult; entity: { id: ImportEntity; label: string; one: string }; dryRun?: boolean }) {
  const keys = MATCH_KEYS[entity.id];
  const { matched } = result;
  const parts = keys.filter((k) => matched[k] > 0).map((k) => `${formatCount(matched[k])} by ${MATCH_KEY_LABEL[k]}`);
  return (
    <div role="status" aria-label="Matches with existing records" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      {matched.total === 0 ? (
        <p className="text-slate-700">
          No row matches an existing {entity.one} (by {keys.map((k) => MATCH_KEY_LABEL[k]).join(" or ")}).
        </p>
      ) : (
        <p className="text-slate-700">
          <span className="font-semibold text-slate-900">
            {pluralize(matched.total, "row")} {matched.total === 1 ? "matches" : "match"} existing {entity.label.toLowerCase()}
          </span>
          : {parts.join(", ")}. {matched.total === 1 ? "It" : "They"} {OUTCOME[result.duplicates][dryRun ? "dry" : "done"]}.
        </p>
      )}
    </div>
  );
}
