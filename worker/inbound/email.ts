import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { captureInboundEmail, InboundRejection, logRejection } from "../services/email/capture-inbound";
import { relayOutbox } from "../events/outbox";

/** What the handler needs of Cloudflare's ForwardableEmailMessage (tests pass a plain object of this shape). */
export type InboundMessage = Pick<ForwardableEmailMessage, "from" | "to" | "raw" | "rawSize" | "headers" | "setReject">;

/**
 * The Worker's `email()` entry point (Cloudflare Email Routing; locally `wrangler dev` exposes it at
 * /cdn-cgi/handler/email). A message is stored whole, dropped as a duplicate, or refused with a reason the sender
 * sees in the bounce (setReject) and the workspace's ADMINs see in the audit log. An unexpected failure (database
 * down) throws, which Email Routing reports to the sending server as temporary, so the message is retried.
 */
export async function handleInboundEmail(message: InboundMessage, env: Env, ctx?: ExecutionContext): Promise<void> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`misconfigured: ${loaded.problems.join("; ")}`);
  const config = loaded.config;
  const { db, storage, queues } = createServices(env, config);
  const meta = { from: message.from, to: message.to, subject: message.headers.get("subject"), size: message.rawSize };
  try {
    if (!config.INBOUND_EMAIL_DOMAIN) throw new InboundRejection("This CRM does not accept e-mail (INBOUND_EMAIL_DOMAIN is not set)", null);
    const outcome = await captureInboundEmail({
      db,
      store: storage,
      config,
      envelopeTo: message.to,
      envelopeFrom: message.from,
      size: message.rawSize,
      read: async () => new Uint8Array(await new Response(message.raw).arrayBuffer()),
    });
    console.log(JSON.stringify({ level: "info", msg: "inbound e-mail", status: outcome.status, workspaceId: outcome.workspaceId, emailId: outcome.emailId, size: message.rawSize }));
    // The rows' events were written to the outbox in the capture's transaction; relay them now (if this fails or the
    // isolate dies, the per-minute sweep sends them).
    if (outcome.status === "stored" && outcome.outbox.length) {
      const work = relayOutbox({ db, queue: queues.events, ids: outcome.outbox }).then(
        () => undefined,
        (err: unknown) => console.error(JSON.stringify({ level: "error", msg: "outbox relay failed (inbound e-mail)", error: String(err) })),
      );
      if (ctx) ctx.waitUntil(work);
      else await work;
    }
  } catch (err) {
    if (!(err instanceof InboundRejection)) throw err;
    console.warn(JSON.stringify({ level: "warn", msg: "inbound e-mail rejected", reason: err.reason, workspaceId: err.workspaceId, from: meta.from, size: meta.size }));
    await logRejection(db, err, meta).catch((e) => console.error(JSON.stringify({ level: "error", msg: "could not log the rejection", error: String(e) })));
    message.setReject(err.reason);
  } finally {
    await db.close?.().catch(() => {});
  }
}
