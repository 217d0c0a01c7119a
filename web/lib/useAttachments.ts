import { useCallback, useRef, useState } from "react";
import { errorMessage } from "./api";
import { queries } from "./queries";
import { deleteAttachment, uploadAttachment, type Attachment, type RecordEntity, type UploadHandle } from "./records";
import { useQueryResource } from "./useResource";

export interface UploadState {
  key: number;
  name: string;
  size: number;
  /** 0–1 */
  progress: number;
  error: string | null;
}

/** A record's attachments: the list, uploads with progress (several at once), and delete. */
export function useAttachments(entity: RecordEntity, id: string) {
  const list = useQueryResource(queries.attachments(entity, id));
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const handles = useRef(new Map<number, UploadHandle>());
  const nextKey = useRef(1);

  const patchUpload = (key: number, patch: Partial<UploadState>) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const upload = useCallback(
    async (files: readonly File[]): Promise<Attachment[]> => {
      const done: Attachment[] = [];
      await Promise.all(
        files.map(async (file) => {
          const key = nextKey.current++;
          setUploads((u) => [...u, { key, name: file.name, size: file.size, progress: 0, error: null }]);
          const handle = uploadAttachment(entity, id, file, (progress) => patchUpload(key, { progress }));
          handles.current.set(key, handle);
          try {
            const attachment = await handle.promise;
            done.push(attachment);
            list.setData((current) => (current ? [attachment, ...current] : [attachment]));
            setUploads((u) => u.filter((x) => x.key !== key));
          } catch (error) {
            if (error instanceof DOMException && error.name === "AbortError") setUploads((u) => u.filter((x) => x.key !== key));
            else patchUpload(key, { error: errorMessage(error) });
          } finally {
            handles.current.delete(key);
          }
        }),
      );
      return done;
    },
    // `list.setData` is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [entity, id],
  );

  const cancelUpload = useCallback((key: number) => {
    const handle = handles.current.get(key);
    if (handle) handle.abort();
    else setUploads((u) => u.filter((x) => x.key !== key));
  }, []);

  const remove = useCallback(
    async (attachment: Attachment) => {
      await deleteAttachment(attachment.id);
      list.setData((current) => current?.filter((a) => a.id !== attachment.id));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  return { list, uploads, upload, cancelUpload, remove };
}
