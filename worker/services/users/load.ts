import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";
import { ConflictError, NotFoundError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";

export type UserRow = typeof users.$inferSelect;

/**
 * One user of the caller's workspace, optionally locked for the rest of the transaction. Another workspace's id,
 * a malformed id and a missing id all answer the same 404.
 */
export async function loadUser(db: Executor, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<UserRow> {
  if (!isUuid(id)) throw new NotFoundError("User");
  const q = db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.workspaceId, workspaceId), isNull(users.deletedAt)))
    .limit(1);
  // NO KEY UPDATE, not UPDATE: it still serialises writers of this row, but does not block the foreign-key checks
  // of rows that merely reference the user (audit entries, owners), which take KEY SHARE.
  const [row] = opts.forUpdate ? await q.for("no key update") : await q;
  if (!row) throw new NotFoundError("User");
  return row;
}

/**
 * Locks every active ADMIN row of the workspace (in id order, so two admins doing this at once never deadlock) and
 * returns their ids (NO KEY UPDATE, see loadUser). A concurrent demotion or deactivation waits here; once it commits, Postgres re-checks the
 * WHERE clause on the changed row, so the second caller sees the smaller set and the last admin cannot vanish.
 */
export async function lockActiveAdmins(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.role, "ADMIN"), eq(users.active, true), isNull(users.deletedAt)))
    .orderBy(users.id)
    .for("no key update");
  return rows.map((r) => r.id);
}

/** 409 when `userId` is the only active admin among `admins`: the workspace would be left unmanageable. */
export function assertNotLastAdmin(admins: string[], userId: string, doing: string): void {
  if (admins.length === 1 && admins[0] === userId) {
    throw new ConflictError(`Cannot ${doing} the last active admin of the workspace; make another user ADMIN first`, {
      errors: [{ path: "role", message: "the workspace needs at least one active ADMIN" }],
    });
  }
}

/** What the audit trail records about a user: never the password hash. */
export function auditView(u: UserRow): Record<string, unknown> {
  return { email: u.email, name: u.name, role: u.role, active: u.active, mustChangePassword: u.mustChangePassword, tokenVersion: u.tokenVersion };
}

/** Marks a password change in the audit trail without storing anything derived from the password. */
export const PASSWORD_CHANGED = { password: { from: "[hidden]", to: "[hidden]" } };

/** The unique index on lower(email) fired (a concurrent create won the race). */
export function isEmailTaken(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === "23505") return constraint === "users_email_unique";
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * One answer for an address registered anywhere — in this workspace, another one, or taken by a concurrent create —
 * so the body never says where (the old text and the race path differed). Sign-in is by e-mail, so an address holds
 * one user across all workspaces until users may belong to several (the multi-tenant work); until then a 409 itself
 * still tells an ADMIN the address is registered, and comparing with their own user list tells them where.
 */
export class EmailTakenError extends ConflictError {
  constructor() {
    super("This e-mail address cannot be used for a new user. If the person is already a user here, find them in the user list (deactivated users included); otherwise use another address.", {
      errors: [{ path: "email", message: "cannot be used for a new user" }],
    });
  }
}

export const emailTaken = () => new EmailTakenError();

/** `lower(email) = lower(x)` across all workspaces: the unique index is global. */
export const emailMatches = (email: string) => sql`lower(${users.email}) = lower(${email})`;
