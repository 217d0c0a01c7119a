import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";

/**
 * The composer writes a mention as `@[Name](user:<uuid>)` (the people picker inserts it); the id is what counts, the
 * name is only what readers see.
 */
const MENTION = /@\[([^\]\n]{1,120})\]\(user:([0-9a-fA-F-]{36})\)/g;

export function mentionedIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => m[2]!.toLowerCase()))];
}

/**
 * Who may be mentioned: someone who can open the record. In this app every role (VIEWER and up) reads every record of
 * its workspace, so access means "an active user of this workspace"; a deactivated user, someone of another workspace,
 * or an id that is nobody has no access, and the comment is refused naming them (nothing is saved).
 */
export async function assertMentionable(db: Executor, workspaceId: string, body: string): Promise<Map<string, string>> {
  const ids = mentionedIds(body);
  const names = new Map<string, string>();
  if (!ids.length) return names;
  const valid = ids.filter(isUuid);
  const found = valid.length
    ? await db.select({ id: users.id, name: users.name, active: users.active }).from(users).where(and(eq(users.workspaceId, workspaceId), inArray(users.id, valid)))
    : [];
  const byId = new Map(found.map((u) => [u.id, u]));
  const refused: string[] = [];
  for (const m of body.matchAll(MENTION)) {
    const u = byId.get(m[2]!.toLowerCase());
    if (!u || !u.active) refused.push(m[1]!);
    else names.set(u.id, u.name);
  }
  if (refused.length) {
    const who = [...new Set(refused)].map((n) => `@${n}`).join(", ");
    throw new ValidationError(`${who} cannot see this record (not an active user of this workspace), so they cannot be mentioned`, [
      { path: "body", message: `mentions ${who}, who has no access to this record` },
    ]);
  }
  return names;
}
