import { useState } from "react";
import { aiByline, aiLabel, summaryVersions, type SummaryVersion } from "../../lib/ai-feed";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import type { TimelineItem } from "../../lib/records";
import { formatRelative } from "../../lib/relative-time";
import { Spinner } from "../ui/Spinner";

/** The line over an AI output on a timeline: the assistant's work, and who asked for it. */
export function AiEntryHeadline({ item }: { item: TimelineItem }) {
  return (
    <span data-ai-byline>
      <span className="font-medium text-slate-900">{aiLabel(item.type)}</span> · {aiByline(item.actor?.name)}
    </span>
  );
}

/** "Earlier versions (N)" under the latest summary of a record: the summaries it replaced, loaded on demand. */
export function EarlierSummaries({ item }: { item: TimelineItem }) {
  const props = item.properties as { earlierVersions?: number; target?: { type: TimelineItem["target"]["type"]; id: string } };
  const count = Number(props.earlierVersions ?? 0);
  const [open, setOpen] = useState(false);
  const [versions, setVersions] = useState<SummaryVersion[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (item.type !== "ai_summary" || count < 1 || !props.target) return null;
  const target = props.target;

  async function toggle() {
    const next = !open;
    setOpen(next);
    if (next && !versions) {
      try {
        const r = await summaryVersions(target.type, target.id);
        setVersions(r.data.filter((v) => v.activityId !== item.id));
      } catch (err) {
        setError(err);
      }
    }
  }

  return (
    <div className="mt-2">
      <button type="button" onClick={toggle} className="text-xs font-medium text-accent hover:underline" aria-expanded={open}>
        {open ? "Hide earlier versions" : `Earlier versions (${count})`}
      </button>
      {open && (
        <div className="mt-2 space-y-2" aria-label="Earlier summaries">
          {error != null && <p className="text-xs text-red-600">{errorMessage(error)}</p>}
          {!versions && error == null && <Spinner className="size-3.5 text-slate-400" label="Loading earlier versions" />}
          {versions?.map((v) => (
            <div key={v.activityId} className="rounded-md border border-slate-100 bg-slate-50 px-2.5 py-2 text-xs text-slate-600" data-summary-version={v.activityId}>
              <p className="text-slate-500">
                <time dateTime={v.generatedAt} title={formatDateTime(v.generatedAt)}>
                  {formatRelative(v.generatedAt)}
                </time>{" "}
                · {aiByline(v.requestedBy?.name)}
              </p>
              <p className="mt-1 font-medium text-slate-800">{v.headline.text}</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-4">
                {v.points.map((p, i) => (
                  <li key={i}>{p.text}</li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
