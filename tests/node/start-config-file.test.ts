import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/database";
import { freePort } from "../../scripts/lib/stack";
import recruiting from "../../examples/recruiting/bespoke.config";
import renewals from "../../examples/saas-renewals/bespoke.config";

/**
 * `npm start` (scripts/start.ts) with the configuration file chosen by BESPOKE_CONFIG: an example starts and its
 * board and branding are its own; a file with several mistakes stops the start listing all of them.
 */
const adminUrl = inject("adminDatabaseUrl");
const work = path.resolve(`.tmp/start-config-file-${process.pid}`);
const children: ChildProcess[] = [];
const databases: string[] = [];

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c: Buffer) => (output += c));
  child.stderr!.on("data", (c: Buffer) => (output += c));
  children.push(child);
  return { child, output: () => output };
}

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
    }
  }
  for (const name of databases) await dropDatabase(adminUrl, name).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe("a configuration file with mistakes", () => {
  it("stops npm start before anything runs, listing every problem, exit code 1", async () => {
    const dir = `${work}/bad`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      `${dir}/bespoke.config.ts`,
      `export default {
  branding: { name: "Acme", accentColor: "orange" },
  pipelines: [
    { key: "Sales Pipeline", name: "Sales", default: true, stages: [{ key: "new", name: "New", probability: 150 }, { key: "won", name: "Won", probability: 100, kind: "won" }] },
  ],
  customFields: { opportunity: [{ key: "amount", label: "Amount", type: "number" }, { key: "tier", label: "Tier", type: "single_select" }] },
  reasonCodes: { lost: [{ value: "price", label: "Price" }, { value: "price", label: "Too expensive" }] },
};
`,
    );
    const { child, output } = start({ BESPOKE_CONFIG: dir, PORT: String(await freePort()), BESPOKE_DATA_DIR: `${work}/bad-data` });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    const text = output();
    expect(text).toContain(`${path.relative(process.cwd(), dir)}/bespoke.config.ts is invalid (7 problems):`);
    for (const problem of [
      'branding.accentColor must be a colour like "#4f46e5"',
      'pipelines[0].key must be a lower-case key like "new_business"',
      "pipelines[0].stages[0].probability must be between 0 and 100",
      'pipelines[0].stages must have at least one lost stage (kind: "lost")',
      'customFields.opportunity[0].key "amount" is a core opportunity field: pick another key',
      "customFields.opportunity[1].options must list at least one option for a single_select field",
      'reasonCodes.lost[1].value "price" is also the value of reasonCodes.lost[0]',
    ]) {
      expect(text).toContain(`  - ${problem}`);
    }
    expect(text).toContain("Fix: correct them in");
    // Stopped before the database or wrangler: nothing to clean up, no stack trace.
    expect(text).not.toMatch(/embedded PostgreSQL|wrangler dev|\n\s+at /);
  }, 60_000);
});

describe.each([
  ["recruiting", recruiting],
  ["saas-renewals", renewals],
])("BESPOKE_CONFIG=examples/%s npm start", (example, file) => {
  it("starts with the example's pipelines and branding; its board shows its own stages", async () => {
    const name = `bespoke_${example.replace("-", "_")}_${process.pid}_${Date.now()}`;
    databases.push(name);
    const url = await createDatabase(adminUrl, name);
    const port = await freePort();
    const { child, output } = start({
      BESPOKE_CONFIG: `examples/${example}`,
      PORT: String(port),
      DATABASE_URL: url,
      BESPOKE_DATA_DIR: `${work}/${example}-data`,
      BESPOKE_ASSETS_DIR: `${work}/${example}-web`,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not ready in 240 s:\n${output()}`)), 240_000);
      child.stdout!.on("data", () => {
        if (/Ctrl-C stops the app/.test(output())) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}):\n${output()}`));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const { name: brand, accentColor } = file.branding!;
    expect(output()).toContain(`Configuration: examples/${example}/bespoke.config.ts (BESPOKE_CONFIG)`);
    expect(output()).toContain(`Branding: "${brand}", accent ${accentColor}, monogram icon (name from the configuration file, colour from the configuration file)`);
    expect(output()).toMatch(/configuration applied to 1 workspace\(s\): \d+ change\(s\)/);

    const branding = await (await fetch(`${base}/api/branding`)).json();
    expect(branding).toMatchObject({ productName: brand, accentColor });
    expect(await (await fetch(`${base}/`)).text()).toContain(`<title>${brand}</title>`);

    const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "admin@demo.test", password: "bespoke-demo" }) });
    const { token } = (await login.json()) as { token: string };
    const board = (await (await fetch(`${base}/api/opportunities/pipeline`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      stages: { name: string; count: number; cards: unknown[] }[];
    };
    const names = board.stages.map((s) => s.name);
    const own = file.pipelines[0]!.stages.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(own));
    // None of the shipped "Sales" stages: the demo deals were seeded into the example's default pipeline.
    for (const stock of ["Prospecting", "Qualification", "Closed Won", "Closed Lost"]) expect(names).not.toContain(stock);
    expect(board.stages.filter((s) => own.includes(s.name)).reduce((n, s) => n + s.count, 0)).toBeGreaterThan(0);
  }, 300_000);
});
