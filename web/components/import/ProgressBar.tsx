import type { ImportProgress } from "../../lib/import-api";

/** Upload progress while the file is sent, then an indeterminate bar while the server reads the rows. */
export function ProgressBar({ progress, label }: { progress: ImportProgress | null; label: string }) {
  const uploading = progress?.phase !== "processing";
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={uploading ? percent : undefined}
        aria-valuetext={uploading ? `Uploading, ${percent}%` : "Processing rows"}
        className="relative h-2 w-40 overflow-hidden rounded-full bg-slate-200"
      >
        {uploading ? (
          <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
        ) : (
          <div className="nav-progress h-full w-1/3 rounded-full bg-accent" />
        )}
      </div>
      <span aria-hidden="true">{uploading ? `Uploading ${percent}%` : "Processing rows…"}</span>
    </div>
  );
}
