/**
 * The only module that touches the ATTACHMENTS R2 bucket. Keys are namespaced and unguessable:
 * `ws/<workspaceId>/<entity>/<recordId>/<random uuid>` — the file name lives in the database, never in the key.
 */

export interface StoredObject {
  body: ReadableStream;
  size: number;
  contentType: string | undefined;
}

export interface AttachmentStore {
  put(key: string, body: Blob | ArrayBuffer | ReadableStream, meta: { contentType: string; size: number; customMetadata?: Record<string, string> }): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export const attachmentKey = (workspaceId: string, entity: string, recordId: string) =>
  `ws/${workspaceId}/${entity}/${recordId}/${crypto.randomUUID()}`;

/**
 * Failure injection for the tests of upload/delete consistency (R2 down, a write racing the upload). Nothing in the
 * application sets it; with no fault set the store is a thin pass-through.
 */
export interface AttachmentStoreFaults {
  put?: () => Error | undefined;
  delete?: () => Error | undefined;
  /** Runs after a successful put, before the caller continues (e.g. to make the database write fail). */
  afterPut?: (key: string) => Promise<void>;
}
let faults: AttachmentStoreFaults = {};
export function setAttachmentStoreFaults(next: AttachmentStoreFaults): void {
  faults = next;
}

export function attachmentStore(bucket: R2Bucket): AttachmentStore {
  return {
    async put(key, body, meta) {
      const injected = faults.put?.();
      if (injected) throw injected;
      // A Blob or ArrayBuffer has a known length; R2 refuses streams without one, so a stream is sized by the caller.
      const value = body instanceof ReadableStream ? body.pipeThrough(new FixedLengthStream(meta.size)) : body;
      await bucket.put(key, value, { httpMetadata: { contentType: meta.contentType }, customMetadata: meta.customMetadata });
      await faults.afterPut?.(key);
    },
    async get(key) {
      const obj = await bucket.get(key);
      if (!obj) return null;
      return { body: obj.body, size: obj.size, contentType: obj.httpMetadata?.contentType };
    },
    async exists(key) {
      return (await bucket.head(key)) !== null;
    },
    async delete(key) {
      const injected = faults.delete?.();
      if (injected) throw injected;
      await bucket.delete(key);
    },
  };
}
