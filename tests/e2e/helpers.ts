/**
 * Browser-test helpers: Debian's Chromium through playwright-core, one browser context per test file, sign-in
 * through the real login form, screenshots under tests/artifacts/ and axe-core checks. See tests/e2e/README.md.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, inject } from "vitest";
import { CHROMIUM_PATH } from "./chromium";

export type { Browser, BrowserContext, Locator, Page };

/** The app under test (wrangler dev on a fresh, demo-seeded database), e.g. http://127.0.0.1:40123. */
export const baseUrl: string = inject("baseUrl");

export const DEMO_PASSWORD = "bespoke-demo";
export const DEMO_LOGINS = {
  admin: "admin@demo.test",
  user: "user@demo.test",
  viewer: "viewer@demo.test",
} as const;

const ARTIFACTS = fileURLToPath(new URL("../artifacts", import.meta.url));

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Debian's Chromium; a clear error (never a skip) when it is missing or cannot start. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (as .ci/run does).`);
  }
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, headless: true });
  } catch (error) {
    throw new Error(
      `Could not launch Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`): ${error instanceof Error ? error.message : error}`,
    );
  }
}

/** Desktop by default; pass `MOBILE` for the 375 px checks. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const MOBILE: BrowserContextOptions = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** The file's page (one tab, kept between the tests of the file). */
  readonly page: Page;
  /** Uncaught exceptions in the page since the last test started ("pageerror"): assert it stays empty. */
  readonly pageErrors: string[];
  /** Another context (own storage: a second user signed in at the same time). Closed with the file. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * Registers beforeAll/afterAll hooks that give this test file a browser, a fresh context (empty storage, so signed
 * out) and a page pointed at the app. A failed test leaves a screenshot in tests/artifacts/failures/.
 */
export function useBrowser(options: BrowserContextOptions = DESKTOP): BrowserSession {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const extra: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const contextOptions: BrowserContextOptions = { baseURL: baseUrl, locale: "en-US", timezoneId: "UTC", ...options };

  // A setup failure (no Chromium, the app did not start) fails every test of the file with its reason, so the
  // run's count shows each browser test as failed rather than skipped.
  let unavailable: Error | undefined;
  beforeAll(async () => {
    try {
      const setupError = inject("e2eSetupError");
      if (setupError) throw new Error(setupError);
      browser = await launchBrowser();
      context = await browser.newContext(contextOptions);
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
    } catch (error) {
      unavailable = error instanceof Error ? error : new Error(String(error));
    }
  });
  beforeEach((ctx) => {
    if (unavailable) throw unavailable;
    pageErrors.length = 0;
    ctx.onTestFailed(async () => {
      if (!page || page.isClosed()) return;
      const name = `failures/${ctx.task.file.name.replace(/^.*\//, "").replace(/\.test\.ts$/, "")}--${ctx.task.name}`;
      await screenshot(page, name).catch(() => {});
    });
  });
  afterAll(async () => {
    for (const c of extra) await c.close().catch(() => {});
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`${what} is not ready: use it inside a test or hook of a file that called useBrowser()`);
    return value;
  };
  return {
    get browser() {
      return need(browser, "browser");
    },
    get context() {
      return need(context, "context");
    },
    get page() {
      return need(page, "page");
    },
    pageErrors,
    async newContext(more: BrowserContextOptions = {}) {
      const c = await need(browser, "browser").newContext({ ...contextOptions, ...more });
      c.setDefaultTimeout(15_000);
      extra.push(c);
      return c;
    },
  };
}

/**
 * Signs in through the real login form and waits until the app shell is there.
 * Lands on `next` (default: the app's home, /pipeline).
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, next?: string): Promise<void> {
  await clearSession(page);
  await page.goto(next ? `/login?${new URLSearchParams({ next })}` : "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The app shell's <main id="main"> only renders for a signed-in user.
  await page.locator("main#main").waitFor();
}

/** Forgets any stored session of this page's context (signed out without going through the UI). */
export async function clearSession(page: Page): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto("/login");
  await page.evaluate(() => window.localStorage.clear());
}

/**
 * Signs out through the header's account menu (the mobile menu on narrow screens) and waits for the login form.
 * `everywhere` uses "Sign out everywhere" (every session of the user ends).
 */
export async function signOut(page: Page, options: { everywhere?: boolean } = {}): Promise<void> {
  const button = page.getByRole("button", { name: options.everywhere ? "Sign out everywhere" : "Sign out", exact: true });
  const menu = page.getByRole("button", { name: "Open menu" });
  const account = page.getByRole("button", { name: "Account menu" });
  // Only one of the two is displayed at a time (the account menu from the md breakpoint up).
  await page.locator("main#main").waitFor();
  await ((await menu.isVisible()) ? menu : account).click();
  await button.click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
}

/**
 * Full-page PNG in tests/artifacts/<name>.png (git-ignored; CI keeps it as an artefact). Returns the path.
 * `{ fullPage: false }` captures the viewport only (dialogs, which cover the viewport, not the page).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const file = path.join(ARTIFACTS, `${name.replace(/[^\w./-]+/g, "-")}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  // Let fonts settle and animations finish so the picture shows what a user sees.
  await page.evaluate(() => document.fonts.ready).catch(() => {});
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true, animations: "disabled" });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.x A/AA rules and best practices) in the page and returns the serious and critical
 * violations. `exclude` lists selectors to leave out (e.g. a third-party widget); use it sparingly and say why.
 */
export async function axe(page: Page, options: { exclude?: string[] } = {}): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  // The app's CSP (script-src 'self') refuses an injected <script>, as it should; the DevTools protocol's own
  // evaluation is not subject to it, so axe is loaded that way and the CSP stays in force for the page under test.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(`${axeSource}\n;void 0`);
  const violations = await page.evaluate(async (exclude) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(exclude.length ? { exclude: exclude.map((s) => [s]) } : document, {
      resultTypes: ["violations"],
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return result.violations;
  }, options.exclude ?? []);
  return (violations as AxeViolation[]).filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** One readable line per violation and node, for assertion messages. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id}: ${v.help} — ${n.target.join(" ")}\n    ${n.html.slice(0, 160)}`))
    .join("\n");
}

/** Asserts that axe finds no serious or critical violation, listing them all when it does. */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  const violations = await axe(page, options);
  // Compared as text: the failure shows one line per offending element instead of axe's whole result objects.
  expect(describeViolations(violations)).toBe("");
}

/** Waits until `locator`'s text contains `text` (or matches it), with the locator's own timeout. */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 15_000): Promise<void> {
  await expect
    .poll(async () => (await locator.textContent().catch(() => "")) ?? "", { timeout, interval: 100 })
    .toMatch(typeof text === "string" ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : text);
}

/**
 * Calls the API directly from Node (fixtures a test needs but does not test through the UI).
 * `token` from `apiToken(email)`. Throws on a non-2xx answer with the problem details.
 */
export async function apiCall<T = unknown>(
  pathname: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const res = await fetch(new URL(pathname, baseUrl), {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      accept: "application/json",
      ...(init.body !== undefined && { "content-type": "application/json" }),
      ...(init.token && { authorization: `Bearer ${init.token}` }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A bearer token for a (demo) user, for `apiCall`. */
export async function apiToken(email: string, password = DEMO_PASSWORD): Promise<string> {
  const { token } = await apiCall<{ token: string }>("/api/auth/login", { body: { email, password } });
  return token;
}

/** A short unique suffix so records created by a test never collide with the seed or another run. */
export function unique(prefix = ""): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
