/**
 * `npm run bootstrap` (also run by `npm run deploy`): on an EMPTY database, creates the first workspace with the
 * default pipeline and its ADMIN from BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD (optional
 * BOOTSTRAP_ADMIN_NAME, BOOTSTRAP_WORKSPACE_NAME). Does nothing when a workspace exists or the variables are unset.
 * Never writes demo data. The Worker does the same on its first request when the variables are its secrets.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Executor } from "../db/client";
import * as schema from "../db/schema";
import { passwordProblem } from "../worker/lib/password-policy";
import { ensureFirstAdmin } from "../worker/services/bootstrap/first-admin";

const { DATABASE_URL, BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = process.env;
if (!email && !password) {
  console.log("bootstrap: BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD not set: skipped (the Worker can create the first admin from its secrets)");
  process.exit(0);
}
const problems: string[] = [];
if (!DATABASE_URL) problems.push("DATABASE_URL is not set: export the Neon connection string (direct host)");
if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push("BOOTSTRAP_ADMIN_EMAIL must be an e-mail address");
const weak = password ? passwordProblem(password, { email, name: process.env.BOOTSTRAP_ADMIN_NAME }) : "is missing";
if (weak) problems.push(`BOOTSTRAP_ADMIN_PASSWORD ${weak}`);
if (problems.length) {
  console.error(`bootstrap: cannot create the first admin:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}

const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
try {
  const db = drizzle({ client, schema }) as unknown as Executor;
  const result = await ensureFirstAdmin((fn) => db.transaction((tx) => fn(tx as unknown as Executor)), {
    email: email!,
    password: password!,
    name: process.env.BOOTSTRAP_ADMIN_NAME,
    workspaceName: process.env.BOOTSTRAP_WORKSPACE_NAME,
  });
  console.log(
    result.created
      ? `bootstrap: created workspace ${result.workspaceId} and ADMIN ${email}; sign in, then you may delete the BOOTSTRAP_ADMIN_PASSWORD secret`
      : "bootstrap: the database already has a workspace: nothing to do",
  );
} finally {
  await client.end();
}
