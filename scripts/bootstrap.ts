/**
 * `npm run bootstrap` (also run by `npm run deploy`):
 * 1. validates the configuration file (BESPOKE_CONFIG, else bespoke.config.ts): a bad one stops the deploy with every
 *    problem listed (exit 1);
 * 2. on an EMPTY database, creates the first workspace with the file's pipelines, custom fields and reason codes and
 *    its ADMIN from BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD (optional BOOTSTRAP_ADMIN_NAME,
 *    BOOTSTRAP_WORKSPACE_NAME); skipped when a workspace exists or the variables are unset;
 * 3. applies the configuration file to every workspace (idempotent: what the file declares wins, UI additions stay).
 * Never writes demo data. The Worker creates the first admin on its first request too when the variables are secrets.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Executor } from "../db/client";
import * as schema from "../db/schema";
import { passwordProblem } from "../worker/lib/password-policy";
import { ensureFirstAdmin } from "../worker/services/bootstrap/first-admin";
import { applyConfigToAllWorkspaces, describeApply } from "../worker/config-file/apply";
import { displayPath, loadConfigFile } from "./lib/config-file";
import { StartError } from "./lib/start-error";

let file: Awaited<ReturnType<typeof loadConfigFile>>;
try {
  file = await loadConfigFile();
} catch (err) {
  const e = err as StartError;
  console.error(`bootstrap: ${e.message.trimEnd()}\n  Fix: ${e.fix ?? "see above"}.`);
  process.exit(1);
}
console.log(`bootstrap: configuration file ${displayPath(file.path)} is valid`);

const { DATABASE_URL, BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = process.env;
const wantsAdmin = Boolean(email || password);
const problems: string[] = [];
if (!DATABASE_URL) problems.push("DATABASE_URL is not set: export the Neon connection string (direct host)");
if (wantsAdmin) {
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push("BOOTSTRAP_ADMIN_EMAIL must be an e-mail address");
  const weak = password ? passwordProblem(password, { email, name: process.env.BOOTSTRAP_ADMIN_NAME }) : "is missing";
  if (weak) problems.push(`BOOTSTRAP_ADMIN_PASSWORD ${weak}`);
}
if (problems.length) {
  console.error(`bootstrap: cannot prepare the database:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}

const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
try {
  const db = drizzle({ client, schema }) as unknown as Executor;
  const run = <T>(fn: (tx: Executor) => Promise<T>) => db.transaction((tx) => fn(tx as unknown as Executor));
  if (!wantsAdmin) {
    console.log("bootstrap: BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD not set: first admin skipped (the Worker can create it from its secrets)");
  } else {
    const result = await ensureFirstAdmin(run, {
      email: email!,
      password: password!,
      name: process.env.BOOTSTRAP_ADMIN_NAME,
      workspaceName: process.env.BOOTSTRAP_WORKSPACE_NAME,
      config: file.config,
    });
    console.log(
      result.created
        ? `bootstrap: created workspace ${result.workspaceId} and ADMIN ${email}; sign in, then you may delete the BOOTSTRAP_ADMIN_PASSWORD secret`
        : "bootstrap: the database already has a workspace: nothing to do for the first admin",
    );
  }
  const reports = await applyConfigToAllWorkspaces(db, run, file.config);
  for (const line of describeApply(reports)) console.log(`bootstrap: ${line}`);
} finally {
  await client.end();
}
