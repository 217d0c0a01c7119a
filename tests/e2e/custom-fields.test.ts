import { afterAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();
const tag = unique("Cf");
const label = `Segment ${tag}`;
let fieldId: string | undefined;

// Other files share the demo workspace: the field made here is deleted again (its key is unique to this run).
afterAll(async () => {
  if (!fieldId) return;
  const token = await apiToken(DEMO_LOGINS.admin);
  await apiCall(`/api/fields/${fieldId}`, { method: "DELETE", token }).catch(() => undefined);
});

interface Field {
  id: string;
  key: string;
  label: string;
  type: string;
  options: { value: string; label: string; color: string | null }[];
  showOnCard: boolean;
  filterable: boolean;
}

describe("custom fields", () => {
  it("an admin adds a select field on opportunities; a deal's value filters the list and shows on its board card", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/settings/fields?entity=opportunity");
    await page.getByRole("tab", { name: "Opportunities", selected: true }).waitFor();
    await page.getByRole("button", { name: "Add field" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Label", { exact: true }).fill(label);
    await dialog.getByLabel("Type").selectOption({ label: "Single select" });
    await dialog.getByRole("button", { name: "Add option" }).click();
    await dialog.getByLabel("Option 1", { exact: true }).fill("Small business");
    await dialog.getByRole("button", { name: "Add option" }).click();
    await dialog.getByLabel("Option 2", { exact: true }).fill("Enterprise");
    await dialog.getByLabel("Colour of option 2").fill("#8e24aa");
    // Enterprise first: the order is the admin's, not the alphabet's.
    await dialog.getByRole("button", { name: "Move option 2 up" }).click();
    await dialog.getByLabel("Show on cards").check();
    await dialog.getByLabel("Filterable").check();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "custom-fields-dialog");
    await dialog.getByRole("button", { name: "Add field" }).click();
    await page.getByText(`“${label}” added`).waitFor();

    const token = await apiToken(DEMO_LOGINS.admin);
    const { data } = await apiCall<{ data: Field[] }>("/api/fields?entity=opportunity", { token });
    const field = data.find((f) => f.label === label)!;
    fieldId = field.id;
    expect(field).toMatchObject({ type: "single_select", showOnCard: true, filterable: true });
    expect(field.options).toEqual([
      { value: "enterprise", label: "Enterprise", color: "#8e24aa", order: 0 },
      { value: "small_business", label: "Small business", color: expect.stringMatching(/^#[0-9a-f]{6}$/), order: 1 },
    ]);
    await page.locator(`[data-field-key="${field.key}"]`).getByText("Enterprise").waitFor();
    await screenshot(page, "custom-fields-settings");

    // Two deals, one per option (the value is set through the API: the detail page's field editor renders from /api/meta).
    const [big, small] = await Promise.all(
      [`${tag} Big deal`, `${tag} Small deal`].map((name) => apiCall<{ id: string }>("/api/opportunities", { token, body: { name, amount: 1_000_00 } })),
    );
    await apiCall(`/api/opportunities/${big!.id}`, { method: "PATCH", token, body: { custom: { [field.key]: "enterprise" } } });
    await apiCall(`/api/opportunities/${small!.id}`, { method: "PATCH", token, body: { custom: { [field.key]: "small_business" } } });

    await page.goto(`/opportunities?q=${encodeURIComponent(tag)}`);
    // The grid's record rows (a row with a selection checkbox).
    const rows = page.getByRole("table").getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select row/ }) });
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const filter = page.waitForRequest((r) => new URL(r.url()).searchParams.get(`custom.${field.key}`) === "enterprise");
    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByLabel("Filter 1 field").selectOption({ label });
    await page.getByLabel("Filter 1 value").selectOption({ label: "Enterprise" });
    await filter;
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().innerText()).toContain(`${tag} Big deal`);
    await screenshot(page, "custom-fields-list-filter");

    await page.goto(`/pipeline?q=${encodeURIComponent(tag)}`);
    const card = page.getByRole("article", { name: `${tag} Big deal` });
    await card.locator(`[data-custom-field="${field.key}"]`).getByText("Enterprise").waitFor({ timeout: 15_000 });
    await page.getByRole("article", { name: `${tag} Small deal` }).locator(`[data-custom-field="${field.key}"]`).getByText("Small business").waitFor();
    await screenshot(page, "custom-fields-board-card");
  });

  it("deletes the field to a trash with the days left, and restores it with its values", async () => {
    const page = app.page;
    await page.goto("/settings/fields?entity=opportunity");
    await page.getByRole("button", { name: `Delete ${label}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete field" }).click();
    const trash = page.getByRole("region", { name: "Recently deleted" });
    // Other files may have deleted fields of their own: look at this field's row.
    await trash.getByRole("button", { name: `Restore ${label}` }).waitFor();
    expect(await trash.getByText("30 days left").count()).toBeGreaterThan(0);
    await screenshot(page, "custom-fields-trash");
    await trash.getByRole("button", { name: `Restore ${label}` }).click();
    await page.getByText(`“${label}” restored`).waitFor();
    await page.getByRole("list", { name: "Custom fields on opportunities" }).getByRole("button", { name: `Edit ${label}` }).waitFor();
    const token = await apiToken(DEMO_LOGINS.admin);
    const deals = await apiCall<{ data: { name: string; custom: Record<string, unknown> }[] }>(`/api/opportunities?q=${encodeURIComponent(tag)}&sort=name`, { token });
    expect(deals.data.map((d) => Object.values(d.custom))).toEqual([["enterprise"], ["small_business"]]);
  });

  it("shows the fields read-only to a viewer", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.viewer, undefined, "/settings/fields?entity=opportunity");
    await page.getByRole("list", { name: "Custom fields on opportunities" }).getByText(label, { exact: true }).waitFor();
    await page.getByText("Only admins can change fields.").waitFor();
    expect(await page.getByRole("button", { name: "Add field" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: `Delete ${label}` }).count()).toBe(0);
  });
});
