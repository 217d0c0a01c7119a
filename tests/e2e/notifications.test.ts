import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, MOBILE, screenshot, signIn, unique, useBrowser, waitForText, type Page } from "./helpers";

const app = useBrowser();

interface Deal {
  id: string;
  name: string;
  version: number;
}

/** The admin creates a deal, then hands it to Sam Seller (user@demo.test): Sam's bell gets an assignment. */
async function assignDealToSam(): Promise<Deal> {
  const [admin, sam] = await Promise.all([apiToken(DEMO_LOGINS.admin), apiToken(DEMO_LOGINS.user)]);
  const { data: people } = await apiCall<{ data: { id: string; email: string }[] }>("/api/users?limit=100", { token: admin });
  const samId = people.find((u) => u.email === DEMO_LOGINS.user)!.id;
  const deal = await apiCall<Deal>("/api/opportunities", { token: admin, body: { name: unique("Handover deal ") } });
  await apiCall(`/api/opportunities/${deal.id}`, { method: "PATCH", token: admin, body: { ownerId: samId } });
  // The notification is written by the events consumer a moment after the response.
  await expect
    .poll(async () => (await apiCall<{ data: { entityId: string | null }[] }>("/api/notifications?unread=true", { token: sam })).data.some((n) => n.entityId === deal.id), { timeout: 30_000, interval: 300 })
    .toBe(true);
  return deal;
}

async function openFromBell(page: Page, deal: Deal, shot: string) {
  const bell = page.getByRole("button", { name: /^Notifications, \d+ unread$/ });
  await bell.waitFor();
  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  const item = panel.getByRole("button", { name: new RegExp(`assigned you the deal "${deal.name}"`) });
  await item.waitFor();
  await screenshot(page, shot, { fullPage: false });
  await item.click();
  await page.waitForURL(`**/opportunities/${deal.id}`);
  await waitForText(page.getByRole("heading", { level: 1 }), deal.name);
}

describe("notifications", () => {
  it("an owner change notifies the new owner, who sees it in the bell, opens the record, and it is read", async () => {
    const deal = await assignDealToSam();
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user);
    const before = Number(await page.getByTestId("notification-count").innerText());
    expect(before).toBeGreaterThan(0);
    await openFromBell(page, deal, "notifications-bell");
    // Opened = read: the count went down by one.
    const sam = await apiToken(DEMO_LOGINS.user);
    await expect.poll(async () => (await apiCall<{ data: { entityId: string | null; readAt: string | null }[] }>("/api/notifications", { token: sam })).data.find((n) => n.entityId === deal.id)?.readAt ?? null).not.toBeNull();
    expect(app.pageErrors).toEqual([]);
  });

  it("works on a phone: the panel fits the screen, and Mark all read clears the count", async () => {
    const deal = await assignDealToSam();
    const context = await app.newContext(MOBILE);
    const page = await context.newPage();
    await signIn(page, DEMO_LOGINS.user);
    await page.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
    const panel = page.getByRole("region", { name: "Notifications" });
    await panel.getByText(deal.name, { exact: false }).first().waitFor();
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, "notifications-phone", { fullPage: false });
    await panel.getByRole("button", { name: "Mark all read" }).click();
    await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();
    expect(await page.getByTestId("notification-count").count()).toBe(0);
    // Read items stay in the list and still open their record.
    await panel.getByRole("button", { name: new RegExp(`assigned you the deal "${deal.name}"`) }).click();
    await page.waitForURL(`**/opportunities/${deal.id}`);
    await waitForText(page.getByRole("heading", { level: 1 }), deal.name);
    await screenshot(page, "notifications-phone-opened", { fullPage: false });
  });
});
