import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/database";
import { freePort } from "../../scripts/lib/stack";

/**
 * `npm start` itself (scripts/start.ts), on a fresh database and its own data and assets folders, configured only
 * through the environment, as `OPENAI_API_KEY=… BRAND_NAME=… npm start` would be. Issue 10: variables other than
 * DATABASE_URL were silently ignored, secrets were on wrangler's command line, the SPA had no security headers and
 * index.html said "Bespoke CRM" until JavaScript ran.
 */
const adminUrl = inject("adminDatabaseUrl");
const name = `bespoke_start_${process.pid}_${Date.now()}`;
const work = path.resolve(`.tmp/start-test-${process.pid}`);
const secrets = {
  jwt: `jwt-${randomBytes(24).toString("hex")}`,
  dbPassword: `pw${randomBytes(12).toString("hex")}`,
  openai: `sk-test-${randomBytes(16).toString("hex")}`,
};
let child: ChildProcess;
let output = "";
let base = "";

beforeAll(async () => {
  const url = new URL(await createDatabase(adminUrl, name));
  url.password = secrets.dbPassword; // the machine's Postgres trusts loopback: the password only has to stay hidden
  const port = await freePort();
  child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: url.toString(),
      JWT_SECRET: secrets.jwt,
      OPENAI_API_KEY: secrets.openai,
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      BRAND_NAME: "Acme <Revenue> Cloud",
      BRAND_ACCENT_COLOR: "#0f766e",
      BESPOKE_DATA_DIR: `${work}/data`,
      BESPOKE_ASSETS_DIR: `${work}/web`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c: Buffer) => (output += c));
  child.stderr!.on("data", (c: Buffer) => (output += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in 240 s:\n${output}`)), 240_000);
    const check = () => {
      if (/Ctrl-C stops the app/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${output}`));
    });
  });
  base = `http://127.0.0.1:${port}`;
}, 260_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
  }
  await dropDatabase(adminUrl, name).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe("npm start configured through the environment", () => {
  it("says which AI provider and branding are in effect, and where they came from", () => {
    expect(output).toContain("AI: OpenAI-compatible server at http://127.0.0.1:9/v1, model gpt-5-mini (OPENAI_API_KEY from environment)");
    expect(output).toContain('Branding: "Acme <Revenue> Cloud", accent #0f766e, monogram icon (name from environment, colour from environment)');
  });

  it("gives the Worker the environment's variables", async () => {
    const res = await fetch(`${base}/api/branding`);
    expect(await res.json()).toMatchObject({ productName: "Acme <Revenue> Cloud", accentColor: "#0f766e" });
  });

  it("puts no secret on any process's command line", () => {
    const lines: string[] = [];
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        lines.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "));
      } catch {
        /* gone meanwhile */
      }
    }
    expect(lines.some((l) => l.includes("wrangler") && l.includes(" dev "))).toBe(true);
    for (const secret of Object.values(secrets)) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  });
});

describe("the SPA under npm start", () => {
  it("serves index.html with the configured name and colours, and the security headers", async () => {
    for (const p of ["/", "/pipeline", "/accounts/123"]) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      const html = await res.text();
      expect(html).toContain("<title>Acme &lt;Revenue&gt; Cloud</title>");
      expect(html).toContain('<meta name="theme-color" content="#0f766e"');
      expect(html).toMatch(/<html[^>]*style="--accent: #0f766e; --accent-foreground: #ffffff"/);
      expect(html).not.toContain("Bespoke CRM");
      expect(html).toMatch(/<script type="module"[^>]*src="\/assets\//);
    }
  });

  it("revalidates index.html cheaply with its ETag", async () => {
    const first = await fetch(`${base}/`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetch(`${base}/`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  it("sends the same security headers with the bundle files, cached for good", async () => {
    const html = await (await fetch(`${base}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(`${base}${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toContain("immutable");
  });
});
