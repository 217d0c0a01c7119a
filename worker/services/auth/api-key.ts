import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { apiKeys, users } from "../../../db/schema";
import type { AuthContext } from "../../app-env";
import type { Role } from "../../schemas/common";

/**
 * Integrator API keys: `bk_live_<prefix>_<secret>`. Only a SHA-256 of the whole key is stored (a key is 190 bits of
 * randomness, so a fast hash is enough: there is nothing to brute-force), plus the prefix so people can tell keys
 * apart in lists and logs. The full key is shown once, at creation.
 */
export const API_KEY_MARKER = "bk_live_";
const KEY_PATTERN = /^bk_live_([a-z0-9]{8})_([A-Za-z0-9]{32})$/;
/** last_used_at is refreshed at most this often, so a busy integration does not write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62 or 36).
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < limit && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

export async function hashApiKey(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function generateApiKey(): Promise<{ secret: string; prefix: string; hash: string }> {
  const prefix = randomString(8, "abcdefghijklmnopqrstuvwxyz0123456789");
  const secret = `${API_KEY_MARKER}${prefix}_${randomString(32, ALPHANUMERIC)}`;
  return { secret, prefix, hash: await hashApiKey(secret) };
}

/** True for anything shaped like one of our keys (a JWT never starts with bk_). */
export const isApiKey = (token: string) => token.startsWith(API_KEY_MARKER);

const rank: Record<Role, number> = { VIEWER: 0, USER: 1, ADMIN: 2 };

/**
 * Resolves `Authorization: Bearer bk_live_…` to the acting identity. Read on every request, so a revocation (or the
 * creator's deactivation) takes effect at once. The key acts in its workspace with its role, capped at its
 * creator's current role (a demoted admin's keys lose admin rights too), and as its creator for the audit trail.
 * A key whose creator is deactivated stops working: someone who left must not keep access through a key they saw.
 */
export async function authenticateApiKey(input: { db: Executor; token: string; now?: Date }): Promise<AuthContext | null> {
  const m = KEY_PATTERN.exec(input.token);
  if (!m) return null;
  const hash = await hashApiKey(input.token);
  const [row] = await input.db
    .select({
      id: apiKeys.id,
      workspaceId: apiKeys.workspaceId,
      role: apiKeys.role,
      lastUsedAt: apiKeys.lastUsedAt,
      userId: users.id,
      userRole: users.role,
      email: users.email,
      name: users.name,
      active: users.active,
    })
    .from(apiKeys)
    .innerJoin(users, and(eq(users.id, apiKeys.createdBy), eq(users.workspaceId, apiKeys.workspaceId), isNull(users.deletedAt)))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt), isNull(apiKeys.deletedAt)))
    .limit(1);
  if (!row || !row.active) return null;

  const now = input.now ?? new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // The condition is repeated in SQL so concurrent requests write once per minute between them, not once each.
    const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    // At most one small write per key per minute: cheap enough to await, and then lastUsedAt is never stale.
    await input.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, cutoff))));
  }
  const role = rank[row.role] <= rank[row.userRole] ? row.role : row.userRole;
  return { userId: row.userId, workspaceId: row.workspaceId, role, email: row.email, name: row.name, via: "api_key", apiKeyId: row.id };
}
