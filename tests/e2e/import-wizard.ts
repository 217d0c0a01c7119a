/** Steps of the import wizard (/import) shared by the desktop and phone browser tests. */
import { expect } from "vitest";
import { screenshot, waitForText, type Page } from "./helpers";

export type WizardEntity = "accounts" | "contacts" | "leads" | "opportunities";
const LABEL: Record<WizardEntity, string> = { accounts: "Accounts", contacts: "Contacts", leads: "Leads", opportunities: "Opportunities" };

/** Opens /import for `entity` and uploads `csv`; returns when the mapping step shows. */
export async function uploadCsv(page: Page, entity: WizardEntity, csv: string, fileName = `${entity}.csv`): Promise<void> {
  await page.goto(`/import?entity=${entity}`);
  await page.getByRole("heading", { name: `Import ${entity}` }).waitFor();
  await page.getByLabel("Choose a CSV file").setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("heading", { name: new RegExp(`2\\. Map the columns of ${fileName.replace(".", "\\.")}`) }).waitFor();
}

/** "Check the file" (the dry run); returns the match sentence of the check step. */
export async function checkFile(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("heading", { name: /Check: nothing has been written yet/ }).waitFor();
  return (await page.getByRole("status", { name: "Matches with existing records" }).innerText()).replace(/\s+/g, " ").trim();
}

/** The check step's or summary's counts as { created: 1, "would be updated": 2, … }. */
export async function summaryCounts(page: Page): Promise<Record<string, number>> {
  const dl = page.locator("dl").first();
  const terms = await dl.locator("dt").allInnerTexts();
  const values = await dl.locator("dd").allInnerTexts();
  return Object.fromEntries(terms.map((t, i) => [t.trim(), Number(values[i]!.replace(/[^\d]/g, ""))]));
}

/** Clicks the import button (its label says what will happen), waits for the summary, then opens the list. */
export async function importAndOpenList(page: Page, entity: WizardEntity, button: RegExp, screenshotName: string): Promise<Record<string, number>> {
  await page.getByRole("button", { name: button }).click();
  await page.getByRole("heading", { name: "Import finished" }).waitFor();
  const counts = await summaryCounts(page);
  await screenshot(page, screenshotName);
  await page.getByRole("link", { name: `View ${entity}` }).click();
  await page.getByRole("heading", { name: LABEL[entity], level: 1 }).waitFor();
  return counts;
}

/** Filters the list at /<entity> by `q` and waits until each of `names` shows in it. */
export async function expectInList(page: Page, entity: WizardEntity, q: string, names: string[]): Promise<void> {
  await page.goto(`/${entity}?q=${encodeURIComponent(q)}`);
  await page.getByRole("heading", { name: LABEL[entity], level: 1 }).waitFor();
  const list = page.locator("main#main");
  for (const name of names) await waitForText(list, name);
  expect(await list.innerText()).toContain(names[0]!);
}
