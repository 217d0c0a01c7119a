import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { importSessionRecords } from "../../../db/schema";
import type { Target } from "./resolve";

/** How long an import session remembers its accounts: a wizard session lasts minutes; a day is generous. */
const SESSION_TTL = sql`interval '1 day'`;

/**
 * The accounts an import session created or matched. Every import is a session of its own (accounts made earlier
 * in the same file count); with `options.importSessionId` it also spans the session's earlier imports, e.g. the
 * accounts file the wizard imported just before the deals file that names them.
 */
export interface ImportSession {
  /** Of `candidates`, the ids this session created or matched. */
  accountsAmong(candidates: Target[]): Promise<Set<string>>;
  rememberAccounts(ids: Iterable<string>): Promise<void>;
}

export async function openImportSession(tx: Tx, workspaceId: string, sessionId: string | undefined): Promise<ImportSession> {
  const mine = new Set<string>();
  if (sessionId) {
    // Bookkeeping rows expire here rather than in a cron: the index on (workspace_id, created_at) keeps it cheap.
    await tx.delete(importSessionRecords).where(and(eq(importSessionRecords.workspaceId, workspaceId), lt(importSessionRecords.createdAt, sql`now() - ${SESSION_TTL}`)));
  }
  return {
    async accountsAmong(candidates) {
      const out = new Set(candidates.filter((c) => mine.has(c.id)).map((c) => c.id));
      const ask = candidates.filter((c) => !out.has(c.id)).map((c) => c.id);
      if (!sessionId || !ask.length) return out;
      const rows = await tx
        .select({ id: importSessionRecords.recordId })
        .from(importSessionRecords)
        .where(
          and(
            eq(importSessionRecords.workspaceId, workspaceId),
            eq(importSessionRecords.sessionId, sessionId),
            eq(importSessionRecords.entityType, "account"),
            inArray(importSessionRecords.recordId, ask),
          ),
        );
      for (const r of rows) out.add(r.id);
      return out;
    },
    async rememberAccounts(ids) {
      const fresh = [...new Set(ids)].filter((id) => !mine.has(id));
      for (const id of fresh) mine.add(id);
      if (!sessionId || !fresh.length) return;
      await tx
        .insert(importSessionRecords)
        .values(fresh.map((recordId) => ({ workspaceId, sessionId, entityType: "account", recordId })))
        .onConflictDoNothing();
    },
  };
}

/**
 * One record among several that share a name or e-mail: the one this import session created or matched, else the
 * only one, else the only one spelled exactly like the cell (case included). Undefined when that still leaves a
 * choice; the caller then asks for an externalId.
 */
export function pickCandidate<T extends Target>(candidates: T[], cell: string, session: Set<string>): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const preferred = candidates.filter((c) => session.has(c.id));
  const pool = preferred.length ? preferred : candidates;
  if (pool.length === 1) return pool[0];
  const exact = pool.filter((c) => (c.name ?? "").trim() === cell.trim());
  return exact.length === 1 ? exact[0] : undefined;
}

/** The candidates of every ambiguous key, asked of the session in one query. */
export function sessionAmong(session: ImportSession, groups: Iterable<Target[]>): Promise<Set<string>> {
  const ambiguous = [...groups].filter((g) => g.length > 1).flat();
  return ambiguous.length ? session.accountsAmong(ambiguous) : Promise.resolve(new Set());
}
