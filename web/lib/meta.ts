/*
 * GET /api/meta: the workspace's fields (core from domain/, custom from Settings → Fields), pipelines and reason
 * codes. Loaded once per session and shared; `invalidateMeta()` after a settings change reloads it everywhere.
 */
import { useEffect, useState } from "react";
import type { EntityKey } from "../../domain";
import type { FieldMeta } from "../../domain/meta";
import type { Meta } from "../../worker/schemas/meta";
import { apiRequest } from "./api";

export type { FieldMeta, Meta };

let pending: Promise<Meta> | null = null;
let loaded: Meta | null = null;
const listeners = new Set<(m: Meta) => void>();

export function loadMeta(): Promise<Meta> {
  pending ??= apiRequest<Meta>("/api/meta").then(
    (m) => {
      loaded = m;
      for (const l of listeners) l(m);
      return m;
    },
    (err: unknown) => {
      pending = null;
      throw err;
    },
  );
  return pending;
}

/** Forget the loaded metadata (a field or pipeline changed) and load it again for every mounted reader. */
export function invalidateMeta(): void {
  pending = null;
  void loadMeta().catch(() => undefined);
}

/** The workspace's metadata, or null while it loads (a failure leaves the page on its core fields). */
export function useMeta(): Meta | null {
  const [meta, setMeta] = useState<Meta | null>(loaded);
  useEffect(() => {
    listeners.add(setMeta);
    if (!loaded) void loadMeta().catch(() => undefined);
    return () => {
      listeners.delete(setMeta);
    };
  }, []);
  return meta;
}

/** The entity's custom fields in display order. */
export function customFieldsOf(meta: Meta | null, entity: EntityKey): FieldMeta[] {
  return meta ? meta.entities[entity].fields.filter((f) => f.source === "custom").sort((a, b) => a.position - b.position) : [];
}
