import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { Config } from "../config";
import { afterApply } from "../config-file/apply";
import { ensureFirstAdmin } from "../services/bootstrap/first-admin";
import { rowsOf } from "../../db/client";

/** Configurations (one per env object, i.e. per isolate and deployment) whose database is known to have a workspace. */
const settled = new WeakSet<Config>();

/**
 * When BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD are set, the first request an isolate serves makes sure an
 * empty database gets its first workspace and admin (for deployers who only run `wrangler deploy`). Costs one
 * `select exists(…)` per isolate; a failure is logged and retried on the next request, never fails this one.
 */
export const firstAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const { config, services } = c.var;
  if (config.BOOTSTRAP_ADMIN_EMAIL && config.BOOTSTRAP_ADMIN_PASSWORD && !settled.has(config)) {
    try {
      const result = await services.db.http.execute(sql`select exists (select 1 from workspaces) as present`);
      if (!rowsOf<{ present: boolean }>(result)[0]?.present) {
        const result = await ensureFirstAdmin((fn) => services.db.transaction(fn), {
          email: config.BOOTSTRAP_ADMIN_EMAIL,
          password: config.BOOTSTRAP_ADMIN_PASSWORD,
          name: config.BOOTSTRAP_ADMIN_NAME,
          workspaceName: config.BOOTSTRAP_WORKSPACE_NAME,
          config: config.bespoke,
        });
        if (result.created) {
          await afterApply(services.db.http, result.workspaceId);
          console.log(JSON.stringify({ level: "info", msg: "bootstrap: created the first workspace and admin", requestId: c.var.requestId, workspaceId: result.workspaceId, userId: result.userId }));
        }
      }
      settled.add(config);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "bootstrap: first admin not created", requestId: c.var.requestId, error: String(err) }));
    }
  }
  await next();
});
