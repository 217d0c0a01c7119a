/*
 * `POST /api/import/{entity}` (multipart: file, mapping JSON, options JSON), over XMLHttpRequest because only XHR
 * reports upload progress. Types come from the Worker's contract (type-only import).
 */
import type { ImportOptions, ImportResult } from "../../worker/schemas/import-export";
import { ApiError, buildUrl, readProblem } from "./api";
import { sendAuthorized } from "./session";
import type { ImportEntity } from "./import-mapping";

export type { ImportResult };
export type ImportOptionsInput = Partial<ImportOptions>;

export interface ImportProgress {
  /** 0–1 of the file sent; then "processing" while the server reads the rows. */
  phase: "uploading" | "processing";
  fraction: number;
}

export interface ImportHandle {
  promise: Promise<ImportResult>;
  abort(): void;
}

export function runImport(
  entity: ImportEntity,
  file: Blob,
  fileName: string,
  mapping: Record<string, string | null>,
  options: ImportOptionsInput,
  onProgress: (progress: ImportProgress) => void,
): ImportHandle {
  const xhr = new XMLHttpRequest();
  let abort = () => xhr.abort();
  const promise = new Promise<ImportResult>((resolve, reject) => {
    xhr.open("POST", buildUrl(`/api/import/${entity}`));
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: "uploading", fraction: e.loaded / e.total });
    };
    xhr.upload.onload = () => onProgress({ phase: "processing", fraction: 1 });
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportResult);
        } catch {
          reject(new ApiError({ type: "about:blank", title: "Bad response", status: xhr.status, detail: "The server's answer could not be read." }));
        }
        return;
      }
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(":");
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      reject(await readProblem(new Response(xhr.responseText, { status: xhr.status, headers })));
    };
    xhr.onerror = () =>
      reject(new ApiError({ type: "about:blank#network", title: "Network error", status: 0, detail: "The file did not reach the server. Check your connection and try again." }));
    const cancelled = () => reject(new DOMException("Import cancelled", "AbortError"));
    xhr.onabort = cancelled;
    const form = new FormData();
    form.append("file", file, fileName);
    form.append("mapping", JSON.stringify(mapping));
    form.append("options", JSON.stringify(options));
    onProgress({ phase: "uploading", fraction: 0 });
    abort = sendAuthorized(xhr, form, cancelled);
  });
  return { promise, abort: () => abort() };
}
