import { useId, useRef, useState, type DragEvent } from "react";
import { formatDateTime } from "../../lib/format";
import type { Attachment } from "../../lib/records";
import { formatRelative } from "../../lib/relative-time";
import type { UploadState } from "../../lib/useAttachments";
import { CloseIcon, DownloadIcon, PaperclipIcon, TrashIcon, UploadIcon } from "../icons";
import { Button } from "../ui/Button";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Skeleton } from "../ui/Skeleton";

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export interface AttachmentsPanelProps {
  attachments: readonly Attachment[] | undefined;
  status: "loading" | "error" | "success";
  error?: unknown;
  onRetry: () => void;
  uploads: readonly UploadState[];
  canUpload: boolean;
  canDelete: boolean;
  onUpload: (files: File[]) => void;
  onCancelUpload: (key: number) => void;
  onDownload: (attachment: Attachment) => Promise<void>;
  onDelete: (attachment: Attachment) => Promise<void>;
  /** Name of whoever uploaded (the API may give an id or an object). */
  uploaderName: (uploadedBy: Attachment["uploadedBy"]) => string;
}

/** Files on the record: upload (button or drop) with a progress bar per file, download, delete with confirmation. */
export function AttachmentsPanel({ attachments, status, onRetry, uploads, canUpload, canDelete, onUpload, onCancelUpload, onDownload, onDelete, uploaderName }: AttachmentsPanelProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const [confirming, setConfirming] = useState<Attachment | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    if (!canUpload) return;
    const files = [...e.dataTransfer.files];
    if (files.length) onUpload(files);
  };

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
          Attachments{attachments && attachments.length > 0 && <span className="ml-1.5 font-normal text-slate-500">{attachments.length}</span>}
        </h2>
        {canUpload && (
          <>
            <input
              ref={input}
              id={`${id}-file`}
              type="file"
              multiple
              className="sr-only"
              tabIndex={-1}
              aria-label="Files to upload"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = "";
                if (files.length) onUpload(files);
              }}
            />
            <Button size="sm" onClick={() => input.current?.click()}>
              <UploadIcon className="size-3.5" />
              Upload
            </Button>
          </>
        )}
      </div>
      <div
        className={`px-4 py-3 ${dragOver ? "bg-accent-soft" : ""}`}
        onDragOver={(e) => {
          if (!canUpload) return;
          e.preventDefault();
          setDragOver(true);
        }}
        onDragLeave={() => setDragOver(false)}
        onDrop={onDrop}
      >
        {uploads.length > 0 && (
          <ul className="mb-3 space-y-2" aria-label="Uploads in progress">
            {uploads.map((u) => (
              <li key={u.key} className="rounded-md border border-slate-200 px-3 py-2">
                <div className="flex items-center gap-2 text-sm">
                  <span className="min-w-0 flex-1 truncate text-slate-800">{u.name}</span>
                  <span className="tabular text-xs text-slate-500">{u.error ? "Failed" : `${Math.round(u.progress * 100)}%`}</span>
                  <button type="button" onClick={() => onCancelUpload(u.key)} className="inline-flex size-6 items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700">
                    <CloseIcon className="size-3.5" />
                    <span className="sr-only">{u.error ? `Dismiss ${u.name}` : `Cancel upload of ${u.name}`}</span>
                  </button>
                </div>
                {u.error ? (
                  <p role="alert" className="mt-1 text-xs text-red-600">
                    {u.name}: {u.error}
                  </p>
                ) : (
                  <div
                    role="progressbar"
                    aria-label={`Uploading ${u.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(u.progress * 100)}
                    className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-100"
                  >
                    <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${Math.max(2, u.progress * 100)}%` }} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {status === "loading" ? (
          <div className="space-y-2" aria-hidden="true">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-4/5" />
          </div>
        ) : status === "error" ? (
          <div role="alert" className="text-sm text-slate-600">
            Couldn’t load the attachments.{" "}
            <button type="button" className="font-medium text-accent hover:underline" onClick={onRetry}>
              Try again
            </button>
          </div>
        ) : attachments && attachments.length > 0 ? (
          <ul className="divide-y divide-slate-100">
            {attachments.map((a) => (
              <li key={a.id} className="flex items-center gap-2 py-2">
                <PaperclipIcon className="size-4 shrink-0 text-slate-400" />
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium text-slate-900" title={a.filename}>
                    {a.filename}
                  </p>
                  <p className="truncate text-xs text-slate-500">
                    {formatBytes(a.size)} · {uploaderName(a.uploadedBy)} ·{" "}
                    <time dateTime={a.createdAt} title={formatDateTime(a.createdAt)}>
                      {formatRelative(a.createdAt)}
                    </time>
                  </p>
                </div>
                <Button size="sm" variant="ghost" aria-label={`Download ${a.filename}`} loading={downloading === a.id} onClick={async () => {
                  setDownloading(a.id);
                  try {
                    await onDownload(a);
                  } finally {
                    setDownloading(null);
                  }
                }}>
                  {downloading !== a.id && <DownloadIcon className="size-4" />}
                </Button>
                {canDelete && (
                  <Button size="sm" variant="ghost" aria-label={`Delete ${a.filename}`} onClick={() => setConfirming(a)}>
                    <TrashIcon className="size-4" />
                  </Button>
                )}
              </li>
            ))}
          </ul>
        ) : uploads.length === 0 ? (
          <p className="py-2 text-sm text-slate-500">{canUpload ? "No files yet. Upload one, or drop files here." : "No files."}</p>
        ) : null}
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Delete “${confirming.filename}”?`}
          message="The file is removed from this record for everyone. This can’t be undone."
          confirmLabel="Delete file"
          tone="danger"
          onCancel={() => setConfirming(null)}
          onConfirm={async () => {
            await onDelete(confirming);
            setConfirming(null);
          }}
        />
      )}
    </section>
  );
}
