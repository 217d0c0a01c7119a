/**
 * The Tasks page triaged by keyboard: j moves to a task (visible focus ring), x completes it and Undo brings it back,
 * s snoozes it, Enter opens its record, ? shows the shortcuts. Counts per group are the server's and follow each
 * change. VIEWERs see the team's tasks read-only. Screenshots at desktop and phone (390 × 844) size.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, screenshot, signIn, unique, useBrowser, waitForText } from "./helpers";

const app = useBrowser();
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

type Task = { id: string; dueAt: string | null; completedAt: string | null; ownerId: string | null };
let token: string;
let account: { id: string; name: string };
let task: Task;
let subject: string;

beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.user);
  account = await apiCall("/api/accounts", { token, body: { name: unique("Triage Co ") } });
  subject = unique("Call back about the renewal ");
  // Due long ago: the first task of the Overdue group, so the first `j` lands on it whatever the demo data holds.
  task = await apiCall<Task>("/api/activities", { token, body: { type: "task", subject, accountId: account.id, dueAt: "2001-01-02T09:00:00.000Z" } });
});

const overdueCount = async () => Number((await app.page.getByTestId("count-overdue").textContent())!.replace(/\D/g, ""));
const focusedTaskId = () => app.page.evaluate(() => document.activeElement?.getAttribute("data-task-id") ?? null);

describe("Tasks page", () => {
  it("triages by keyboard: j focuses, x completes and Undo restores, s snoozes, Enter opens the record", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/tasks");
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    const row = page.locator(`[data-task-id="${task.id}"]`);
    await row.waitFor();
    expect(await row.evaluate((el) => el.closest("section")?.getAttribute("data-group"))).toBe("overdue");
    await expect.poll(overdueCount, { timeout: 10_000 }).toBeGreaterThan(0);
    const before = await overdueCount();
    await screenshot(page, "tasks/desktop");

    // j: the first task gets focus, with a visible ring.
    await page.locator("h1").click();
    await page.keyboard.press("j");
    await expect.poll(focusedTaskId, { timeout: 10_000 }).toBe(task.id);
    expect(await row.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe("none");

    // x: completed, gone from the list, the count drops; Undo brings it back.
    await page.keyboard.press("x");
    await row.waitFor({ state: "detached" });
    await expect.poll(overdueCount, { timeout: 10_000 }).toBe(before - 1);
    await expect.poll(async () => (await apiCall<Task>(`/api/activities/${task.id}`, { token })).completedAt, { timeout: 10_000 }).not.toBeNull();
    await page.getByRole("button", { name: "Undo" }).click();
    await row.waitFor();
    await expect.poll(overdueCount, { timeout: 10_000 }).toBe(before);
    await expect.poll(async () => (await apiCall<Task>(`/api/activities/${task.id}`, { token })).completedAt, { timeout: 10_000 }).toBeNull();
    await expect.poll(focusedTaskId, { timeout: 10_000 }).toBe(task.id);

    // s: the snooze choices open on the focused task; "+1 day" moves it out of Overdue.
    await page.keyboard.press("s");
    const dialog = page.getByRole("dialog", { name: /Snooze/ });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), { timeout: 10_000 }).toBe("+1 day");
    await page.keyboard.press("Enter");
    await expect.poll(async () => row.evaluate((el) => el.closest("section")?.getAttribute("data-group")).catch(() => null), { timeout: 10_000 }).not.toBe("overdue");
    await expect.poll(overdueCount, { timeout: 10_000 }).toBe(before - 1);
    const snoozed = await apiCall<Task>(`/api/activities/${task.id}`, { token });
    expect(Date.parse(snoozed.dueAt!)).toBeGreaterThan(Date.now());
    await screenshot(page, "tasks/desktop-snoozed");

    // ?: the shortcuts popover, closed with Escape.
    await page.keyboard.press("?");
    const help = page.getByRole("region", { name: "Keyboard shortcuts" });
    await help.waitFor();
    await waitForText(help, /Complete the task/);
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });

    // Enter on the focused row opens the related record.
    await row.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/accounts/${account.id}$`));
    await page.getByRole("heading", { name: account.name, level: 1 }).waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it("the calendar shows the week's tasks and meetings; dragging a task to another day reschedules it", async () => {
    const page = app.page;
    // Tomorrow 10:00 local (the browser runs in UTC) — in this week's view unless today is Sunday, then next week's.
    const now = new Date();
    const due = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 10));
    const title = unique("Calendar task ");
    const t = await apiCall<Task>("/api/activities", { token, body: { type: "task", subject: title, accountId: account.id, dueAt: due.toISOString() } });
    await page.goto("/tasks?view=calendar");
    const calendar = page.getByTestId("task-calendar");
    await calendar.waitFor();
    if (now.getUTCDay() === 0) await page.getByRole("button", { name: "Next week" }).click();
    const chip = page.locator(`[data-calendar-item="${t.id}"]`);
    await chip.waitFor();
    const dayOf = (d: Date) => d.toISOString().slice(0, 10);
    expect(await chip.evaluate((el) => el.closest("[data-day]")?.getAttribute("data-day"))).toBe(dayOf(due));
    await screenshot(page, "tasks/desktop-calendar-week");

    // Drag to the neighbouring day (the day before when tomorrow is Sunday, the last column).
    const target = new Date(due.getTime() + (due.getUTCDay() === 0 ? -1 : 1) * 86_400_000);
    const from = (await chip.boundingBox())!;
    const to = (await page.locator(`[data-day="${dayOf(target)}"]`).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + 6);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + 6, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 10 });
    await page.mouse.up();
    await expect.poll(async () => (await apiCall<Task>(`/api/activities/${t.id}`, { token })).dueAt).toBe(new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), target.getUTCDate(), 10)).toISOString());
    expect(await chip.evaluate((el) => el.closest("[data-day]")?.getAttribute("data-day"))).toBe(dayOf(target));

    await page.getByRole("button", { name: "Month" }).click();
    await page.locator('[data-testid="task-calendar"][aria-busy="false"]').waitFor();
    await chip.waitFor();
    await screenshot(page, "tasks/desktop-calendar-month");
    expect(app.pageErrors).toEqual([]);
  });

  it("a VIEWER sees the team's tasks without triage controls; the page fits a phone", async () => {
    const context = await app.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, DEMO_LOGINS.viewer, undefined, "/tasks?scope=team");
    const row = page.locator(`[data-task-id="${task.id}"]`);
    await row.waitFor();
    expect(await page.getByRole("tab", { name: "Team tasks" }).getAttribute("aria-selected")).toBe("true");
    expect(await row.getByRole("button", { name: /Complete/ }).count()).toBe(0);
    expect(await row.getByRole("button", { name: "Snooze" }).count()).toBe(0);
    // x does nothing for a viewer.
    await row.focus();
    await page.keyboard.press("x");
    await page.waitForTimeout(300);
    expect(await row.isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, "tasks/phone-viewer-team");
  });

  it("a USER's tasks on a phone keep complete and snooze within reach", async () => {
    const context = await app.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, DEMO_LOGINS.user, undefined, "/tasks");
    const row = page.locator(`[data-task-id="${task.id}"]`);
    await row.waitFor();
    await row.getByRole("button", { name: /Complete/ }).waitFor();
    await row.getByRole("button", { name: "Snooze" }).click();
    await page.getByRole("dialog", { name: /Snooze/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "tasks/phone-user-snooze", { fullPage: false });
  });
});
