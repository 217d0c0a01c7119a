import { inject } from "vitest";

// Provided by tests/helpers/global-setup.ts (declared there for the Node side).
declare module "vitest" {
  interface ProvidedContext {
    webhookReceiverUrl: string;
  }
}

/** Client side of tests/helpers/webhook-receiver.ts: each test uses its own name, so state never leaks. */
export const hookUrl = (name: string) => `${inject("webhookReceiverUrl")}/hooks/${name}`;

export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
}

export async function received(name: string): Promise<ReceivedHook[]> {
  return ((await (await fetch(`${inject("webhookReceiverUrl")}/control/${name}`)).json()) as { requests: ReceivedHook[] }).requests;
}

/** The next `times` deliveries to `name` are answered with `status`. */
export async function failNext(name: string, times: number, status = 500): Promise<void> {
  await fetch(`${inject("webhookReceiverUrl")}/control/${name}`, { method: "POST", body: JSON.stringify({ fail: times, status }) });
}
