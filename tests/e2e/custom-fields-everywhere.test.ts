/**
 * Custom fields where a core field works (issue 12): the board's filters (kept in the URL) and cards, quick create
 * (core fields from GET /api/meta, custom ones marked "show in quick create"), and the import wizard mapping a CSV
 * column to a custom field. The fields are made through the API with keys unique to this run and deleted afterwards:
 * the demo workspace is shared with the other files.
 */
import { afterAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";
import { checkFile, importAndOpenList, uploadCsv } from "./import-wizard";

const app = useBrowser();
const tag = unique("cfe");
const made: string[] = [];

afterAll(async () => {
  const token = await apiToken(DEMO_LOGINS.admin);
  for (const id of made) await apiCall(`/api/fields/${id}`, { method: "DELETE", token }).catch(() => undefined);
});

async function field(body: Record<string, unknown>): Promise<{ id: string; key: string; label: string }> {
  const token = await apiToken(DEMO_LOGINS.admin);
  const f = await apiCall<{ id: string; key: string; label: string }>("/api/fields", { token, body });
  made.push(f.id);
  return f;
}

interface FieldMeta {
  key: string;
  label: string;
  source: "core" | "custom";
  showInQuickCreate: boolean;
}

describe("custom fields on the board, in quick create and in the import wizard", () => {
  it("filters the board by a filterable select and a money range, keeps the filters in the URL, and shows card fields", async () => {
    const tier = await field({ entity: "opportunity", key: `tier${tag}`, label: `Tier ${tag}`, type: "single_select", options: [{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }], filterable: true, showOnCard: true });
    const arr = await field({ entity: "opportunity", key: `arr${tag}`, label: `ARR ${tag}`, type: "money", settings: { currency: "USD" }, filterable: true, showOnCard: true });
    const token = await apiToken(DEMO_LOGINS.user);
    const deal = (name: string, custom: Record<string, unknown>) => apiCall("/api/opportunities", { token, body: { name: `${tag} ${name}`, amount: 1_000_00, custom } });
    await deal("Gold big", { [tier.key]: "gold", [arr.key]: 90_000_00 });
    await deal("Gold small", { [tier.key]: "gold", [arr.key]: 10_000_00 });
    await deal("Silver", { [tier.key]: "silver", [arr.key]: 80_000_00 });

    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/pipeline?q=${encodeURIComponent(tag)}`);
    const cards = page.getByRole("article");
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(3);
    // Cards show the fields marked "show on cards", formatted by type.
    const goldBig = page.getByRole("article", { name: `${tag} Gold big` });
    await goldBig.locator(`[data-custom-field="${tier.key}"]`).getByText("Gold").waitFor();
    await goldBig.locator(`[data-custom-field="${arr.key}"]`).getByText("$90,000.00").waitFor();

    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByLabel(`Tier ${tag}`, { exact: true }).selectOption({ label: "Gold" });
    await expect.poll(() => new URL(page.url()).searchParams.get(`custom.${tier.key}`)).toBe("gold");
    await expect.poll(() => cards.count()).toBe(2);
    await page.getByLabel(`ARR ${tag} from (USD)`).fill("50000");
    await page.getByLabel(`ARR ${tag} from (USD)`).press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get(`custom.${arr.key}[gte]`)).toBe("5000000");
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().innerText()).toContain(`${tag} Gold big`);
    const chips = page.getByRole("list", { name: "Active filters" });
    await chips.getByText(`Tier ${tag}: Gold`).waitFor();
    await chips.getByText(`ARR ${tag} ≥ $50,000.00`).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "board-custom-filters");

    // A reload (or a shared link) shows the same board.
    await page.reload();
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(1);
    await chips.getByText(`Tier ${tag}: Gold`).waitFor();
    // Removing one chip widens the board again.
    await page.getByRole("button", { name: `Remove filter Tier ${tag}: Gold` }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has(`custom.${tier.key}`)).toBe(false);
    await expect.poll(() => cards.count()).toBe(2);
    expect(app.pageErrors).toEqual([]);
  });

  it("quick create shows the core fields /api/meta marks for it, then the custom ones, and saves the custom value", async () => {
    const language = await field({ entity: "contact", key: `lang${tag}`, label: `Language ${tag}`, type: "single_select", options: [{ value: "fr", label: "French" }, { value: "de", label: "German" }], showInQuickCreate: true });
    await field({ entity: "contact", key: `hidden${tag}`, label: `Hidden ${tag}`, type: "text" });
    const token = await apiToken(DEMO_LOGINS.user);
    const meta = await apiCall<{ entities: Record<string, { fields: FieldMeta[] }> }>("/api/meta", { token });
    const expected = meta.entities.contact!.fields.filter((f) => f.showInQuickCreate).map((f) => f.label);
    expect(expected.slice(-1)).toEqual([`Language ${tag}`]);
    expect(expected).not.toContain(`Hidden ${tag}`);

    const page = app.page;
    await page.goto("/contacts");
    await page.getByRole("button", { name: "New record" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.getByRole("radio", { name: "Contact" }).check();
    await dialog.getByLabel(`Language ${tag}`).waitFor();
    // The form's fields, in order: exactly what the domain declares for quick create, then the custom field.
    const labels = await dialog.locator("form label:not(fieldset label)").evaluateAll((ls) => ls.map((l) => (l.textContent ?? "").trim()));
    expect(labels).toEqual(expected);

    const name = `Quick ${tag}`;
    await dialog.getByLabel("Name", { exact: true }).fill(name);
    await dialog.getByLabel("E-mail").fill(`${tag}@example.test`);
    await dialog.getByLabel(`Language ${tag}`).selectOption({ label: "German" });
    await screenshot(page, "quick-create-contact-custom", { fullPage: false });
    await dialog.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const contact = await apiCall<{ name: string; email: string; custom: Record<string, unknown> }>(`/api/contacts/${id}`, { token });
    expect(contact).toMatchObject({ name, email: `${tag}@example.test`, custom: { [language.key]: "de" } });
  });

  it("imports contacts with a column mapped to a custom field, and the value is on the record", async () => {
    const team = await field({ entity: "contact", key: `team${tag}`, label: `Team ${tag}`, type: "text" });
    const page = app.page;
    const surname = unique("Imp");
    const csv = ["First name,Last name,Email,Favourite team", `Ida,${surname},${surname}-ida@example.test,Red Sox`, `Max,${surname},${surname}-max@example.test,`].join("\n");
    await uploadCsv(page, "contacts", csv);
    const mapping = page.getByLabel("Import column “Favourite team” as");
    // Not named after the field: the user picks it under "Custom fields".
    await mapping.selectOption({ label: `Team ${tag}` });
    expect(await mapping.inputValue()).toBe(`custom.${team.key}`);
    await screenshot(page, "import-custom-mapping");
    await checkFile(page);
    expect(await importAndOpenList(page, "contacts", /^Import 2 rows$/, "import-custom-done")).toMatchObject({ created: 2 });
    const token = await apiToken(DEMO_LOGINS.user);
    const people = await apiCall<{ data: { firstName: string; custom: Record<string, unknown> }[] }>(`/api/contacts?q=${encodeURIComponent(surname)}&sort=firstName`, { token });
    expect(people.data.map((p) => [p.firstName, p.custom[team.key] ?? null])).toEqual([
      ["Ida", "Red Sox"],
      ["Max", null],
    ]);
    expect(app.pageErrors).toEqual([]);
  });
});
