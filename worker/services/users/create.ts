import type { Database } from "../../../db/client";
import { users } from "../../../db/schema";
import { hashPassword } from "../../lib/password";
import { assertPasswordPolicy, generateTemporaryPassword } from "../../lib/password-policy";
import type { UserCreate } from "../../schemas/users";
import { diff, recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { toUser } from "../auth/login";
import { auditView, emailMatches, emailTaken, isEmailTaken } from "./load";

/**
 * Adds a colleague to the caller's workspace. Without a chosen password a temporary one is generated, returned
 * once (only its hash is stored) and must be changed at first sign-in.
 */
export async function createUser(input: { db: Database; actor: Actor; body: UserCreate }) {
  const { db, actor, body } = input;
  if (body.password !== undefined) assertPasswordPolicy(body.password, "password", body);
  const temporaryPassword = body.password === undefined ? generateTemporaryPassword() : null;
  // The KDF runs before the transaction opens so no lock or connection waits on it.
  const passwordHash = await hashPassword(body.password ?? temporaryPassword!);

  const row = await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(emailMatches(body.email)).limit(1);
    if (taken) throw emailTaken();
    let created;
    try {
      [created] = await tx
        .insert(users)
        .values({
          workspaceId: actor.workspaceId,
          email: body.email,
          name: body.name,
          role: body.role,
          passwordHash,
          mustChangePassword: temporaryPassword !== null,
        })
        .returning();
    } catch (err) {
      if (isEmailTaken(err)) throw emailTaken();
      throw err;
    }
    await recordAudit(tx, actor, { action: "user.create", entityType: "user", entityId: created!.id, changes: diff(null, auditView(created!)) });
    await emit(tx, actor, { type: "user.created", entityType: "user", entityId: created!.id, data: toUser(created!) });
    return created!;
  });
  const user = toUser(row);
  return { user, temporaryPassword };
}
