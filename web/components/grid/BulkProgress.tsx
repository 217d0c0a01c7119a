/* A running bulk job: a progress bar polled from GET /api/bulk/jobs/{id}, then the outcome and any failures. */
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { getBulkJob, type BulkJob } from "../../lib/views";
import { Button } from "../ui/Button";

export function BulkProgress({ job, onDone, onDismiss }: { job: BulkJob; onDone: (job: BulkJob) => void; onDismiss: () => void }) {
  const { data } = useQuery({
    queryKey: ["bulk-job", job.id],
    queryFn: ({ signal }) => getBulkJob(job.id, signal),
    initialData: job,
    refetchInterval: (q) => (q.state.data?.status === "done" ? false : 400),
  });
  const j = data ?? job;
  const done = j.status === "done";
  useEffect(() => {
    if (done) onDone(j);
  }, [done]); // eslint-disable-line react-hooks/exhaustive-deps
  const pct = j.total ? Math.round((j.processed / j.total) * 100) : 0;
  return (
    <div role="status" aria-live="polite" className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm text-slate-800">
      <div className="flex items-center justify-between gap-2">
        <span>
          {done ? `Done: ${j.succeeded.toLocaleString()} of ${j.total.toLocaleString()} changed` : `Working… ${j.processed.toLocaleString()} of ${j.total.toLocaleString()}`}
          {j.failed > 0 && <span className="text-red-700"> · {j.failed.toLocaleString()} failed</span>}
        </span>
        {done && <Button size="sm" variant="ghost" onClick={onDismiss}>Dismiss</Button>}
      </div>
      <div role="progressbar" aria-label="Bulk change progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-2 overflow-hidden rounded-full bg-slate-200">
        <div className="h-full bg-accent transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      {done && j.failures.length > 0 && (
        <ul className="max-h-32 overflow-auto text-xs text-red-700">
          {j.failures.map((f) => <li key={f.id}>{f.id.slice(0, 8)}: {f.message}</li>)}
        </ul>
      )}
    </div>
  );
}
