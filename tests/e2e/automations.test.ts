import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();

interface Stage {
  id: string;
  name: string;
}
interface Task {
  id: string;
  subject: string;
  ownerId: string | null;
  dueAt: string | null;
}

/** Polls until `check` passes: the run starts from the outbox relay and executes on the Workflows engine. */
async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (check(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("settings: automations", () => {
  it("a rule built in the UI creates a follow-up task when a deal enters its stage, and the run shows in the history", async () => {
    const token = await apiToken(DEMO_LOGINS.admin);
    const { stages } = await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token });
    const prospecting = stages.find((s) => s.name === "Prospecting")!;
    const qualification = stages.find((s) => s.name === "Qualification")!;
    const dealName = unique("Automation deal ");
    const ruleName = unique("Qualify follow-up ");

    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/settings/automations");
    await page.getByRole("heading", { name: "Automations", level: 2 }).waitFor();
    // The built-in rules from bespoke.config.ts are listed, marked as such.
    await page.getByRole("list", { name: "Automations" }).getByRole("button", { name: "Runs of Follow-up task: deal entered Proposal" }).waitFor();

    await page.getByRole("button", { name: "New automation" }).click();
    const dialog = page.getByRole("dialog", { name: "New automation" });
    await dialog.getByLabel("Name").fill(ruleName);
    await dialog.getByLabel("Trigger").selectOption({ label: "A deal enters a stage" });
    // The default tick is the second stage; make it exactly Qualification.
    for (const box of await dialog.getByRole("checkbox").all()) if (await box.isChecked()) await box.uncheck();
    await dialog.getByRole("checkbox", { name: `Sales: ${qualification.name}` }).check();
    // Only this test's deal: a condition on the name (the demo's other deals move too, in other files).
    await dialog.getByRole("button", { name: "Add condition" }).click();
    await dialog.getByLabel("Condition 1 field").fill("name");
    await dialog.getByLabel("Condition 1 comparison").selectOption({ label: "is" });
    await dialog.getByLabel("Condition 1 value").fill(dealName);
    await dialog.getByLabel("Action 1 type").selectOption({ label: "Create a task" });
    await dialog.getByLabel("Task title").fill("Book the discovery call for {{record.name}}");
    await dialog.getByLabel("Due in (amount)").fill("3");
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "automations-builder");
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await page.getByText(`“${ruleName}” saved`).waitFor();

    // A deal enters the stage through the API (PATCH, as the board's drag does).
    const deal = await apiCall<{ id: string; version: number }>("/api/opportunities", { method: "POST", token, body: { name: dealName, stageId: prospecting.id } });
    await apiCall(`/api/opportunities/${deal.id}`, { method: "PATCH", token, body: { stageId: qualification.id, stageChangeReason: "Requirements confirmed", version: deal.version } });

    const tasks = await eventually(
      async () => (await apiCall<{ data: Task[] }>(`/api/activities?type=task&opportunityId=${deal.id}`, { token })).data,
      (t) => t.some((x) => x.subject === `Book the discovery call for ${dealName}`),
      "the follow-up task",
    );
    const task = tasks.find((x) => x.subject === `Book the discovery call for ${dealName}`)!;
    const days = (Date.parse(task.dueAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThan(3.1);

    // The run history shows the run and its step.
    const row = page.getByRole("listitem").filter({ hasText: ruleName });
    await row.getByRole("button", { name: `Runs of ${ruleName}` }).click();
    const runs = page.getByRole("list", { name: "Runs" });
    await eventually(
      async () => {
        await page.getByRole("button", { name: "Refresh" }).click();
        return (await runs.count()) > 0 ? await runs.innerText() : "";
      },
      (text) => /succeeded/.test(text) && /create task — succeeded/.test(text),
      "the run in the history",
    );
    expect(await runs.getByRole("link", { name: "the deal" }).first().getAttribute("href")).toBe(`/opportunities/${deal.id}`);
    await screenshot(page, "automations-run-history");

    // Dry run on the same deal shows the plan and writes nothing.
    await row.getByRole("button", { name: `Dry run ${ruleName}` }).click();
    const dry = page.getByRole("dialog", { name: `Dry run: ${ruleName}` });
    await dry.getByRole("combobox", { name: "Record" }).fill(dealName);
    await page.getByRole("option", { name: new RegExp(dealName) }).click();
    await dry.getByRole("button", { name: "Run dry" }).click();
    await dry.getByText("The conditions hold: the rule would run.").waitFor();
    await dry.getByText(`Create the task "Book the discovery call for ${dealName}"`, { exact: false }).waitFor();
    await screenshot(page, "automations-dry-run");
    await page.keyboard.press("Escape");
    await dry.waitFor({ state: "detached" });
    const after = (await apiCall<{ data: Task[] }>(`/api/activities?type=task&opportunityId=${deal.id}`, { token })).data;
    expect(after.filter((x) => x.subject.startsWith("Book the discovery call"))).toHaveLength(1);

    // Pause: the rule stays, marked paused.
    await row.getByRole("button", { name: `Pause ${ruleName}` }).click();
    await row.getByText("Paused").waitFor();
  });
});
