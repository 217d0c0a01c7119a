/**
 * The SPA renders from the domain model and GET /api/meta: a workspace's custom fields appear on the detail page
 * (rendered by type, select options with their colours), as list columns and in quick create, and an inline edit sends
 * `custom: { <key>: value }`. The fields are registered straight in the database (the registry is what the Settings
 * page and the configuration file write).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();
let token: string;
let client: pg.Client;
const suffix = unique("").replace(/\W/g, "").toLowerCase().slice(-8);
const segmentKey = `segment_${suffix}`;
const renewalKey = `renewal_${suffix}`;

beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.admin);
  client = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
  await client.connect();
  const { rows } = await client.query<{ workspace_id: string }>("select workspace_id from users where email = $1", [DEMO_LOGINS.admin]);
  const ws = rows[0]!.workspace_id;
  await client.query(
    `insert into custom_fields (workspace_id, entity, key, label, type, options, show_on_card, show_in_quick_create, filterable, position)
     values ($1, 'opportunity', $2, 'Segment', 'single_select', $3::jsonb, true, true, true, 900),
            ($1, 'opportunity', $4, 'Renewal date', 'date', '[]'::jsonb, false, false, false, 901)`,
    [ws, segmentKey, JSON.stringify([{ value: "smb", label: "SMB", color: "#16a34a" }, { value: "ent", label: "Enterprise", color: "#2563eb" }]), renewalKey],
  );
});

afterAll(async () => {
  await client?.query("delete from custom_fields where key in ($1, $2)", [segmentKey, renewalKey]);
  await client?.end();
});

describe("custom fields in the SPA", () => {
  it("shows them on the detail page by type and edits one in place", async () => {
    const name = unique("Custom deal ");
    const deal = await apiCall<{ id: string }>("/api/opportunities", { token, body: { name, amount: 50_000, currency: "USD" } });
    await client.query(`update opportunities set custom = $2::jsonb where id = $1`, [deal.id, JSON.stringify({ [segmentKey]: "smb", [renewalKey]: "2027-06-30" })]);
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, `/opportunities/${deal.id}`);
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    await page.getByRole("button", { name: /^Edit Segment: SMB/ }).waitFor();
    await page.getByRole("button", { name: /^Edit Renewal date/ }).waitFor();
    await screenshot(page, "custom-fields-detail");

    await page.getByRole("button", { name: /^Edit Segment/ }).click();
    const patch = page.waitForRequest((r) => r.method() === "PATCH" && r.url().includes(`/api/opportunities/${deal.id}`));
    // A select saves on change.
    await page.getByRole("combobox", { name: "Segment" }).selectOption("ent");
    expect((await patch).postDataJSON()).toMatchObject({ custom: { [segmentKey]: "ent" } });
    await page.getByRole("button", { name: /^Edit Segment: Enterprise/ }).waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it("lists them as a column and a filter, and offers the quick-create ones in quick create", async () => {
    const page = app.page;
    await page.goto("/opportunities");
    await page.getByRole("columnheader", { name: /Segment/ }).waitFor();
    // A filterable custom field is offered by the filter builder, which asks the list API for custom.<key>.
    const filtered = page.waitForRequest((r) => new URL(r.url()).searchParams.get(`custom.${segmentKey}`) === "smb");
    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByLabel("Filter 1 field").selectOption({ label: "Segment" });
    await page.getByLabel("Filter 1 value").selectOption("smb");
    await filtered;
    await page.getByRole("button", { name: "New record" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.waitFor();
    await dialog.getByRole("radio", { name: "Opportunity" }).check();
    await dialog.getByRole("combobox", { name: "Segment" }).waitFor();
    // Only the fields marked "show in quick create".
    expect(await dialog.getByLabel("Renewal date").count()).toBe(0);
    await screenshot(page, "custom-fields-quick-create");
    const name = unique("Quick custom ");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("combobox", { name: "Segment" }).selectOption("smb");
    const post = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/api/opportunities"));
    await dialog.getByRole("button", { name: "Create opportunity" }).click();
    expect((await post).postDataJSON()).toMatchObject({ name, custom: { [segmentKey]: "smb" } });
    expect(app.pageErrors).toEqual([]);
  });
});
