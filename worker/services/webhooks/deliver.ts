import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookDeliveries, webhookEndpoints } from "../../../db/schema";
import { webhookUrlProblem, type WebhookUrlConfig } from "./create";
import { signatureHeader } from "../../lib/webhook-signature";

export const DELIVERY_TIMEOUT_MS = 10_000;

export type DeliveryOutcome =
  | { kind: "succeeded" }
  /** Nothing to send (delivery gone, already delivered, endpoint removed): acknowledge the message. */
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; attempts: number; error: string };

/** Wait before retry n (n = attempts so far): 10 s, 20 s, 40 s … capped at an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(2 ** attempts * 5, 3600);

/**
 * One delivery attempt: POST the stored payload, signed, to the endpoint, with a 10 s budget. 2xx succeeds;
 * anything else (status, timeout, network error, redirect) fails and is recorded on the delivery for the log.
 * Redirects are not followed: a public URL that redirects to an internal one must not reach it.
 */
export async function deliverOnce(input: { db: Database; deliveryId: string; config: WebhookUrlConfig }): Promise<DeliveryOutcome> {
  const { db, deliveryId } = input;
  const [found] = await db.http
    .select({ d: webhookDeliveries, url: webhookEndpoints.url, secret: webhookEndpoints.secret, active: webhookEndpoints.active, deletedAt: webhookEndpoints.deletedAt })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!found) return { kind: "skipped", reason: "delivery not found" };
  // A stale retry of a delivery that a manual redelivery already got through.
  if (found.d.status === "succeeded") return { kind: "skipped", reason: "already delivered" };
  if (found.deletedAt || !found.active) {
    const reason = found.deletedAt ? "the endpoint was deleted" : "the endpoint is paused";
    await db.http.update(webhookDeliveries).set({ status: "dead", lastError: `Not sent: ${reason}`, updatedAt: new Date() }).where(eq(webhookDeliveries.id, deliveryId));
    return { kind: "skipped", reason };
  }

  const body = JSON.stringify(found.d.payload);
  let status: number | null = null;
  let error: string | null = null;
  const unsafe = await webhookUrlProblem(found.url, input.config);
  if (unsafe) error = `Not sent: the URL ${unsafe}`;
  else {
    try {
      const res = await fetch(found.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "BespokeCRM-Webhooks/1.0",
          "Bespoke-Signature": await signatureHeader(found.secret, body, Math.floor(Date.now() / 1000)),
          "Bespoke-Event-Id": found.d.eventId,
          "Bespoke-Event-Type": found.d.eventType,
          "Bespoke-Delivery-Id": found.d.id,
        },
        body,
      });
      status = res.status;
      // The log keeps the status only, never the receiver's body or reason phrase: an admin reads the log, and
      // reading a response back is exactly what a request forgery is after.
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) {
        error = `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? " (redirects are not followed)" : ""}`;
      }
    } catch (err) {
      const e = err as Error;
      error = e?.name === "TimeoutError" || e?.name === "AbortError" ? `Timed out after ${DELIVERY_TIMEOUT_MS / 1000} s` : `Network error: ${e?.message ?? String(err)}`;
    }
  }

  const ok = error === null;
  const [after] = await db.http
    .update(webhookDeliveries)
    .set({
      status: ok ? "succeeded" : "failed",
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: status,
      lastError: error,
      deliveredAt: ok ? new Date() : undefined,
      updatedAt: new Date(),
    })
    .where(eq(webhookDeliveries.id, deliveryId))
    .returning({ attempts: webhookDeliveries.attempts });
  return ok ? { kind: "succeeded" } : { kind: "failed", attempts: after?.attempts ?? found.d.attempts + 1, error: error! };
}

/** The dead-letter consumer's verdict: the queue gave up on this delivery. */
export async function markDead(db: Database, deliveryId: string): Promise<void> {
  await db.http
    .update(webhookDeliveries)
    .set({ status: "dead", updatedAt: new Date() })
    .where(sql`${webhookDeliveries.id} = ${deliveryId} and ${webhookDeliveries.status} <> 'succeeded'`);
}
