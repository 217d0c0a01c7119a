import { loadConfig } from "../config";
import { sweepOutbox } from "../events/outbox";
import { createServices } from "../lib/services";
import { sendNotificationDigests } from "../services/notifications/send-digest";
import { sendImmediateNotificationEmails } from "../services/notifications/send-immediate";

/** The cron schedules (wrangler.toml [triggers]) besides the nightly backup. */
export const EVERY_MINUTE = "* * * * *";
export const DAILY_DIGEST = "0 7 * * *";

/**
 * Every minute: the outbox sweep — events committed more than 30 s ago whose relay never sent them (the isolate died
 * after the commit, or the enqueue failed) go to the EVENTS queue now, so no event is lost — then the immediate
 * notification e-mails. At 07:00 UTC: the daily notification digest. Each part runs even if the other fails.
 */
export async function runEventCron(env: Env, cron: string): Promise<{ swept: number; emailed: number; digests: number }> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`event cron skipped, configuration is invalid: ${loaded.problems.join("; ")}`);
  const { config } = loaded;
  const services = createServices(env, config);
  const mail = { db: services.db, mailer: services.mailer, appUrl: config.APP_URL || "http://localhost:8787", brand: config.BRAND_NAME };
  const out = { swept: 0, emailed: 0, digests: 0 };
  const errors: unknown[] = [];
  const part = async (run: () => Promise<void>) => run().catch((err: unknown) => void errors.push(err));
  try {
    if (cron === EVERY_MINUTE) {
      await part(async () => void (out.swept = await sweepOutbox({ db: services.db, queue: services.queues.events })));
      await part(async () => void (out.emailed = await sendImmediateNotificationEmails(mail)));
    } else if (cron === DAILY_DIGEST) {
      await part(async () => void (out.digests = await sendNotificationDigests(mail)));
    }
  } finally {
    await services.db.close();
  }
  if (errors.length) throw new AggregateError(errors, "event cron failed");
  return out;
}

