import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users, workspaces } from "../../../db/schema";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "../../lib/password";
import { UnauthorizedError } from "../../lib/errors";
import type { User } from "../../schemas/common";
import { canonicalEmail } from "../../schemas/email";
import { openSession } from "./sessions/open";
import type { IssuedTokens, SessionPolicy } from "./sessions/policy";

/** One message for unknown e-mail, wrong password and deactivated user: a sign-in form must not enumerate accounts. */
export const BAD_CREDENTIALS = "Email or password is incorrect";

export async function login(input: {
  db: Executor;
  email: string;
  password: string;
  policy: SessionPolicy;
  userAgent?: string | null;
}): Promise<{ issued: IssuedTokens; user: User }> {
  // The counters are keyed by the same canonical form; an address without one matches nobody.
  const email = canonicalEmail(input.email) ?? "";
  const [row] = await input.db
    .select({ user: users, workspaceName: workspaces.name })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(sql`lower(${users.email}) = ${email} and ${users.deletedAt} is null`)
    .limit(1);
  // Always run the KDF, so a missing user costs the same time as a wrong password.
  const ok = await verifyPassword(input.password, row?.user.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || !row.user.active) throw new UnauthorizedError(BAD_CREDENTIALS);
  const u = row.user;
  const rehash = u.passwordHash && needsRehash(u.passwordHash) ? await hashPassword(input.password) : undefined;
  await input.db
    .update(users)
    .set({ lastLoginAt: new Date(), ...(rehash ? { passwordHash: rehash } : {}) })
    .where(eq(users.id, u.id));
  const issued = await openSession({ db: input.db, user: u, policy: input.policy, userAgent: input.userAgent });
  return { issued, user: toUser(u, row.workspaceName) };
}

export function toUser(u: typeof users.$inferSelect, workspaceName?: string): User {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    workspaceId: u.workspaceId,
    ...(workspaceName !== undefined ? { workspaceName } : {}),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}
