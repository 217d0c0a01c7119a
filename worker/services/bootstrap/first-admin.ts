import { count, sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users, workspaces } from "../../../db/schema";
import { createDefaultPipeline } from "../../../db/seed";
import { applyConfigToWorkspace } from "../../config-file/apply";
import type { BespokeConfig } from "../../config-file/define";
import { hashPassword } from "../../lib/password";
import { recordAudit } from "../audit/record";

export interface FirstAdminInput {
  email: string;
  password: string;
  name?: string;
  workspaceName?: string;
  /** The deployment's configuration file: the new workspace gets its pipelines, custom fields and reason codes. */
  config?: BespokeConfig;
}

export type RunInTransaction = <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>;

const slugify = (name: string) =>
  name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "workspace";

/**
 * Creates the first workspace (default pipeline stages) and its ADMIN — only while the database has no workspace
 * at all, so it can run on every deploy and every cold start without effect afterwards. Never demo data.
 * Race-safe: a transaction-scoped advisory lock serialises concurrent callers (two isolates' first requests, or
 * `npm run deploy` and live traffic), and the emptiness check runs under it.
 */
export async function ensureFirstAdmin(
  run: RunInTransaction,
  input: FirstAdminInput,
): Promise<{ created: false } | { created: true; workspaceId: string; userId: string }> {
  return run(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bespoke:bootstrap'))`);
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(workspaces);
    if (n > 0) return { created: false as const };
    const name = input.workspaceName?.trim() || "My workspace";
    const [ws] = await tx.insert(workspaces).values({ name, slug: slugify(name) }).returning({ id: workspaces.id });
    const declared = input.config?.pipelines.find((p) => p.default) ?? input.config?.pipelines[0];
    await createDefaultPipeline(tx, ws!.id, declared);
    if (input.config) await applyConfigToWorkspace(tx, ws!.id, input.config);
    const email = input.email.trim();
    const [admin] = await tx
      .insert(users)
      .values({
        workspaceId: ws!.id,
        email,
        name: input.name?.trim() || email.split("@")[0]!,
        role: "ADMIN",
        passwordHash: await hashPassword(input.password),
      })
      .returning({ id: users.id });
    await recordAudit(tx, { userId: null, workspaceId: ws!.id }, {
      action: "workspace.bootstrap",
      entityType: "workspace",
      entityId: ws!.id,
      changes: { admin: { from: null, to: email } },
    });
    return { created: true as const, workspaceId: ws!.id, userId: admin!.id };
  });
}
