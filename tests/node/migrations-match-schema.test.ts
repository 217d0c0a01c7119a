import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * A schema change without its migration is a bug (the app migrates from db/migrations, not from db/schema): run
 * `drizzle-kit generate` against a copy of the committed migrations and require that it finds nothing to write.
 * The copy lives under .tmp/ inside the checkout so the schema's imports resolve from node_modules; db/migrations is
 * never written.
 */
const work = path.resolve(`.tmp/migration-check-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function generate(name: string, schema: string) {
  const out = path.join(work, name, "migrations");
  mkdirSync(path.dirname(out), { recursive: true });
  cpSync("db/migrations", out, { recursive: true });
  const before = readdirSync(out).sort();
  const r = spawnSync(
    path.resolve("node_modules/.bin/drizzle-kit"),
    // drizzle-kit wants a relative --out (it prefixes "./").
    ["generate", "--dialect=postgresql", `--schema=${schema}`, `--out=${path.relative(process.cwd(), out)}`],
    { encoding: "utf8", timeout: 60_000 },
  );
  const added = readdirSync(out).sort().filter((f) => !before.includes(f));
  return { code: r.status, output: `${r.stdout}${r.stderr}`, added };
}

describe("db/migrations match db/schema", () => {
  it("drizzle-kit generate finds nothing to migrate", () => {
    const r = generate("committed", "./db/schema/index.ts");
    expect(r.code, r.output).toBe(0);
    expect(r.added, `db/schema has changes without a migration: run npm run db:generate and commit ${r.added.join(", ")}`).toEqual([]);
    expect(r.output).toMatch(/No schema changes/);
  });

  it("would notice a schema change that has no migration", () => {
    // The real schema plus one table nobody generated a migration for.
    const dir = path.join(work, "changed-schema");
    mkdirSync(dir, { recursive: true });
    const real = path.relative(dir, path.resolve("db/schema/index.ts")).replace(/\.ts$/, "");
    writeFileSync(
      path.join(dir, "index.ts"),
      `export * from ${JSON.stringify(real)};\n` +
        `import { pgTable, text } from "drizzle-orm/pg-core";\n` +
        `export const unmigrated = pgTable("unmigrated_check", { id: text("id").primaryKey() });\n`,
    );
    const r = generate("changed", `./${path.relative(process.cwd(), path.join(dir, "index.ts"))}`);
    expect(r.code, r.output).toBe(0);
    expect(r.added.filter((f) => f.endsWith(".sql"))).toHaveLength(1);
  });
});
