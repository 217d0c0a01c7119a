import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { accounts, activities, attachments, auditLog, contacts, leads, opportunities } from "../../db/schema";
import { attachmentStore, setAttachmentStoreFaults } from "../../worker/storage/attachments";
import { callWith } from "../helpers/production";
import { api, BASE, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
const rec: Record<"account" | "contact" | "lead" | "opportunity", string> = { account: "", contact: "", lead: "", opportunity: "" };
const MAX = Number(env.UPLOAD_MAX_BYTES ?? 26214400);

const enc = new TextEncoder();
const concat = (...parts: (Uint8Array | string)[]) => {
  const chunks = parts.map((p) => (typeof p === "string" ? enc.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};
const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const pdf = (extra = 2048) => concat("%PDF-1.7\n", randomBytes(extra), "\n%%EOF\n");
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function form(bytes: Uint8Array, name: string, type: string) {
  const fd = new FormData();
  fd.append("file", new File([bytes], name, { type }));
  return fd;
}
const upload = (entity: string, id: string, body: FormData | string, token = ws.user.token, headers: Record<string, string> = {}) =>
  api(`/api/${entity}/${id}/attachments`, { method: "POST", body, token, headers });

async function download(id: string, token = ws.viewer.token) {
  const res = await exports.default.fetch(new Request(`${BASE}/api/attachments/${id}/download`, { headers: { Authorization: `Bearer ${token}` } }));
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}
async function objectsUnder(prefix: string) {
  const listed = await env.ATTACHMENTS.list({ prefix });
  return listed.objects.map((o) => o.key);
}
const rowsFor = (accountId: string) => testDb().http.select().from(attachments).where(eq(attachments.accountId, accountId));

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
  const db = testDb();
  const [a] = await db.http.insert(accounts).values({ workspaceId: ws.id, name: "Files Inc" }).returning();
  const [c] = await db.http.insert(contacts).values({ workspaceId: ws.id, firstName: "Fiona", lastName: "File" }).returning();
  const [l] = await db.http.insert(leads).values({ workspaceId: ws.id, firstName: "Lou", lastName: "Lead" }).returning();
  const [o] = await db.http.insert(opportunities).values({ workspaceId: ws.id, name: "Files deal", stageId: ws.stages[0]!.id }).returning();
  Object.assign(rec, { account: a!.id, contact: c!.id, lead: l!.id, opportunity: o!.id });
});

afterEach(() => setAttachmentStoreFaults({}));

/** A fresh account per test, so "nothing stored" checks look at an empty prefix. */
async function freshAccount(workspaceId = ws.id) {
  const [a] = await testDb().http.insert(accounts).values({ workspaceId, name: `Acct ${crypto.randomUUID().slice(0, 8)}` }).returning();
  return a!.id;
}

describe("round trip", () => {
  it("uploads, lists, downloads the same bytes with safe headers, and deletes, with timeline and audit entries", async () => {
    const accountId = await freshAccount();
    const bytes = pdf(50_000);
    const filename = "Angebot Müller – Q3 (final); v2's.pdf";
    const up = await upload("accounts", accountId, form(bytes, filename, "application/pdf"));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      filename,
      contentType: "application/pdf",
      size: bytes.length,
      parent: { type: "account", id: accountId },
      uploadedBy: { id: ws.user.id, name: expect.any(String) },
      downloadUrl: `/api/attachments/${up.body.id}/download`,
    });
    expect(up.headers.get("location")).toBe(up.body.downloadUrl);

    const [row] = await rowsFor(accountId);
    expect(row!.r2Key).toMatch(new RegExp(`^ws/${ws.id}/account/${accountId}/[0-9a-f-]{36}$`));
    expect(row!.r2Key).not.toContain("Angebot");
    expect(await objectsUnder(`ws/${ws.id}/account/${accountId}/`)).toEqual([row!.r2Key]);

    const list = await api(`/api/accounts/${accountId}/attachments`, { token: ws.viewer.token });
    expect(list.status).toBe(200);
    expect(list.body.data.map((i: any) => i.id)).toEqual([up.body.id]);

    const { res, bytes: got } = await download(up.body.id);
    expect(res.status).toBe(200);
    expect(got).toEqual(bytes);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const disposition = res.headers.get("content-disposition")!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(filename).replace(/['()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(filename);

    const added = await testDb().http.select().from(activities).where(and(eq(activities.accountId, accountId), eq(activities.type, "attachment_added")));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actorId: ws.user.id, properties: { attachmentId: up.body.id, filename } });
    const timeline = await api(`/api/accounts/${accountId}/timeline`, { token: ws.viewer.token });
    expect(timeline.body.data.map((i: any) => i.type)).toContain("attachment_added");

    const del = await api(`/api/attachments/${up.body.id}`, { method: "DELETE", token: ws.user.token });
    expect(del.status).toBe(204);
    expect((await download(up.body.id)).res.status).toBe(404);
    expect((await api(`/api/accounts/${accountId}/attachments`, { token: ws.viewer.token })).body.data).toEqual([]);
    expect(await objectsUnder(`ws/${ws.id}/account/${accountId}/`)).toEqual([]);
    expect(await rowsFor(accountId)).toEqual([]);
    const removed = await testDb().http.select().from(activities).where(and(eq(activities.accountId, accountId), eq(activities.type, "attachment_removed")));
    expect(removed).toHaveLength(1);
    const audit = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityType, "attachment"), eq(auditLog.entityId, up.body.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["create", "delete"]);
    expect(audit.every((a) => a.actorId === ws.user.id && a.workspaceId === ws.id)).toBe(true);
  });

  it("attaches to contacts, leads and deals too, each under its own key prefix", async () => {
    for (const [entity, plural] of [["contact", "contacts"], ["lead", "leads"], ["opportunity", "opportunities"]] as const) {
      const up = await upload(plural, rec[entity], form(concat(PNG, randomBytes(100)), "shot.png", "image/png"));
      expect(up.status).toBe(201);
      expect(up.body.parent).toEqual({ type: entity, id: rec[entity] });
      expect(await objectsUnder(`ws/${ws.id}/${entity}/${rec[entity]}/`)).toHaveLength(1);
      const list = await api(`/api/${plural}/${rec[entity]}/attachments`, { token: ws.viewer.token });
      expect(list.body.data.map((i: any) => i.id)).toEqual([up.body.id]);
    }
  });

  it("fills in the type from the extension when the browser sends application/octet-stream", async () => {
    const accountId = await freshAccount();
    const csv = enc.encode("name,email\nAda,ada@example.com\n");
    const up = await upload("accounts", accountId, form(csv, "people.csv", "application/octet-stream"));
    expect(up.status).toBe(201);
    expect(up.body.contentType).toBe("text/csv");
  });
});

describe("refused uploads store nothing", () => {
  async function expectRefused(accountId: string, status: number, res: { status: number; headers: Headers; body: any }) {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await objectsUnder(`ws/${ws.id}/account/${accountId}/`)).toEqual([]);
    expect(await rowsFor(accountId)).toEqual([]);
    const acts = await testDb().http.select().from(activities).where(eq(activities.accountId, accountId));
    expect(acts).toEqual([]);
  }

  it("422 for an empty file or a missing file part", async () => {
    const id = await freshAccount();
    const empty = await upload("accounts", id, form(new Uint8Array(0), "empty.pdf", "application/pdf"));
    await expectRefused(id, 422, empty);
    expect(empty.body.errors[0].path).toBe("file");
    const fd = new FormData();
    fd.append("note", "no file here");
    const missing = await upload("accounts", id, fd);
    await expectRefused(id, 422, missing);
    expect(missing.body.errors[0]).toMatchObject({ path: "file" });
  });

  it("413 for a file one byte over UPLOAD_MAX_BYTES", async () => {
    const id = await freshAccount();
    const big = new Uint8Array(MAX + 1);
    big.set(enc.encode("%PDF-1.7\n"));
    const res = await upload("accounts", id, form(big, "big.pdf", "application/pdf"));
    await expectRefused(id, 413, res);
    expect(res.body.detail).toContain(String(MAX));
  });

  it("413 before reading when the body itself is larger than the limit allows", async () => {
    const id = await freshAccount();
    const huge = new Uint8Array(MAX + 128 * 1024);
    huge.set(enc.encode("%PDF-1.7\n"));
    await expectRefused(id, 413, await upload("accounts", id, form(huge, "huge.pdf", "application/pdf")));
  });

  it("415 for an executable renamed .pdf, a PNG sent as a PDF, and binary sent as CSV", async () => {
    const id = await freshAccount();
    const exe = concat("MZ", new Uint8Array(58), "PE\0\0", randomBytes(500));
    const renamed = await upload("accounts", id, form(exe, "invoice.pdf", "application/pdf"));
    await expectRefused(id, 415, renamed);
    expect(renamed.body.detail).toMatch(/executable/);
    await expectRefused(id, 415, await upload("accounts", id, form(concat(PNG, randomBytes(64)), "scan.pdf", "application/pdf")));
    await expectRefused(id, 415, await upload("accounts", id, form(concat("a,b\n", new Uint8Array([0, 1, 2])), "data.csv", "text/csv")));
    await expectRefused(id, 415, await upload("accounts", id, form(pdf(), "setup.exe", "application/pdf")));
  });

  it("415 for types outside the allowlist (SVG, HTML, unknown), naming what is accepted", async () => {
    const id = await freshAccount();
    const svgBytes = enc.encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expectRefused(id, 415, await upload("accounts", id, form(svgBytes, "logo.svg", "image/svg+xml")));
    const svg = await upload("accounts", id, form(svgBytes, "logo.txt", "image/svg+xml"));
    await expectRefused(id, 415, svg);
    expect(svg.body.detail).toContain("image/svg+xml files are not accepted");
    expect(svg.body.detail).toContain("application/pdf");
    await expectRefused(id, 415, await upload("accounts", id, form(enc.encode("<h1>hi</h1>"), "page.txt", "text/html")));
    await expectRefused(id, 415, await upload("accounts", id, form(randomBytes(100), "blob.bin", "application/octet-stream")));
  });

  it("415 when the request is not multipart at all", async () => {
    const id = await freshAccount();
    await expectRefused(id, 415, await upload("accounts", id, JSON.stringify({ file: "x" }), ws.user.token, { "Content-Type": "application/json" }));
  });
});

describe("access", () => {
  it("is 404 from another workspace for upload, list, download and delete", async () => {
    const id = await freshAccount();
    const up = await upload("accounts", id, form(pdf(), "mine.pdf", "application/pdf"));
    expect(up.status).toBe(201);
    expect((await upload("accounts", id, form(pdf(), "theirs.pdf", "application/pdf"), other.admin.token)).status).toBe(404);
    expect((await api(`/api/accounts/${id}/attachments`, { token: other.admin.token })).status).toBe(404);
    expect((await download(up.body.id, other.admin.token)).res.status).toBe(404);
    expect((await api(`/api/attachments/${up.body.id}`, { method: "DELETE", token: other.admin.token })).status).toBe(404);
    expect(await rowsFor(id)).toHaveLength(1);
    expect((await download(up.body.id)).res.status).toBe(200);
  });

  it("hides a deleted record's files and brings them back on restore", async () => {
    const id = await freshAccount();
    const up = await upload("accounts", id, form(pdf(), "contract.pdf", "application/pdf"));
    expect((await api(`/api/accounts/${id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    expect((await download(up.body.id)).res.status).toBe(404);
    expect((await api(`/api/accounts/${id}/attachments`, { token: ws.viewer.token })).status).toBe(404);
    expect((await upload("accounts", id, form(pdf(), "more.pdf", "application/pdf"))).status).toBe(404);
    expect((await api(`/api/accounts/${id}/restore`, { method: "POST", token: ws.admin.token })).status).toBe(200);
    expect((await download(up.body.id)).res.status).toBe(200);
  });

  it("lets a VIEWER read but not upload, a USER delete only their own files, and an ADMIN delete any", async () => {
    const id = await freshAccount();
    expect((await upload("accounts", id, form(pdf(), "v.pdf", "application/pdf"), ws.viewer.token)).status).toBe(403);
    const byAdmin = await upload("accounts", id, form(pdf(), "a.pdf", "application/pdf"), ws.admin.token);
    const byUser = await upload("accounts", id, form(pdf(), "u.pdf", "application/pdf"), ws.user.token);
    expect((await api(`/api/attachments/${byUser.body.id}`, { method: "DELETE", token: ws.viewer.token })).status).toBe(403);
    const notMine = await api(`/api/attachments/${byAdmin.body.id}`, { method: "DELETE", token: ws.user.token });
    expect(notMine.status).toBe(403);
    expect(notMine.body.detail).toMatch(/uploaded/);
    expect((await download(byAdmin.body.id)).res.status).toBe(200);
    expect((await api(`/api/attachments/${byUser.body.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
    expect((await api(`/api/attachments/${byAdmin.body.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
    expect(await rowsFor(id)).toEqual([]);
  });
});

describe("consistency when R2 or the database fails", () => {
  it("R2 down on upload: 503, no row, no object, no activity", async () => {
    const id = await freshAccount();
    setAttachmentStoreFaults({ put: () => new Error("R2 unavailable") });
    const res = await upload("accounts", id, form(pdf(), "x.pdf", "application/pdf"));
    expect(res.status).toBe(503);
    expect(res.body.detail).toMatch(/nothing was saved/);
    expect(await rowsFor(id)).toEqual([]);
    expect(await objectsUnder(`ws/${ws.id}/account/${id}/`)).toEqual([]);
    expect(await testDb().http.select().from(activities).where(eq(activities.accountId, id))).toEqual([]);
  });

  it("database write fails after the object was stored (record deleted mid-upload): the object is removed again", async () => {
    const id = await freshAccount();
    let stored: string | undefined;
    setAttachmentStoreFaults({
      afterPut: async (key) => {
        stored = key;
        expect(await env.ATTACHMENTS.head(key)).not.toBeNull();
        await testDb().http.update(accounts).set({ deletedAt: new Date() }).where(eq(accounts.id, id));
      },
    });
    const res = await upload("accounts", id, form(pdf(), "late.pdf", "application/pdf"));
    expect(res.status).toBe(404);
    expect(stored).toBeDefined();
    expect(await env.ATTACHMENTS.head(stored!)).toBeNull();
    expect(await rowsFor(id)).toEqual([]);
  });

  it("R2 down on delete: the file is gone for users at once, and the cleanup finishes the delete once R2 is back", async () => {
    const id = await freshAccount();
    const up = await upload("accounts", id, form(pdf(), "retry.pdf", "application/pdf"));
    const [row] = await rowsFor(id);
    setAttachmentStoreFaults({ delete: () => new Error("R2 unavailable") });
    expect((await api(`/api/attachments/${up.body.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
    expect((await download(up.body.id)).res.status).toBe(404);
    expect((await api(`/api/accounts/${id}/attachments`, { token: ws.viewer.token })).body.data).toEqual([]);
    const [pending] = await rowsFor(id);
    expect(pending!.deletedAt).not.toBeNull();
    expect(await env.ATTACHMENTS.head(row!.r2Key)).not.toBeNull();

    // Imported here, not at the top: the service graph builds zod schemas, which must come after the app has loaded
    // @hono/zod-openapi (it adds .openapi() to schemas as they are created).
    const { purgeDeletedAttachments } = await import("../../worker/services/attachments/remove");
    const store = attachmentStore(env.ATTACHMENTS);
    expect(await purgeDeletedAttachments({ db: testDb(), store, workspaceId: ws.id })).toEqual({ purged: 0, failed: 1 });
    expect(await rowsFor(id)).toHaveLength(1);

    setAttachmentStoreFaults({});
    expect(await purgeDeletedAttachments({ db: testDb(), store, workspaceId: ws.id })).toEqual({ purged: 1, failed: 0 });
    expect(await env.ATTACHMENTS.head(row!.r2Key)).toBeNull();
    expect(await rowsFor(id)).toEqual([]);
    expect(await purgeDeletedAttachments({ db: testDb(), store, workspaceId: ws.id })).toEqual({ purged: 0, failed: 0 });
  });

  it("the scheduled maintenance run finishes pending deletes too", async () => {
    const id = await freshAccount();
    const up = await upload("accounts", id, form(pdf(), "cron.pdf", "application/pdf"));
    const [row] = await rowsFor(id);
    setAttachmentStoreFaults({ delete: () => new Error("R2 unavailable") });
    expect((await api(`/api/attachments/${up.body.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
    setAttachmentStoreFaults({});
    const { runScheduledMaintenance } = await import("../../worker/scheduled/maintenance");
    const outcome = await runScheduledMaintenance(env);
    expect(outcome.attachments.purged).toBeGreaterThanOrEqual(1);
    expect(outcome.attachments.failed).toBe(0);
    expect(await env.ATTACHMENTS.head(row!.r2Key)).toBeNull();
    expect(await rowsFor(id)).toEqual([]);
  });
});

describe("dangerous names (audit L2)", () => {
  const txt = enc.encode("just some notes\n");
  // Its own workspace: refused uploads count against the uploader's per-minute allowance too.
  let w: TestWorkspace;
  beforeAll(async () => {
    w = await createWorkspace();
  });
  const up = (id: string, fd: FormData) => upload("accounts", id, fd, w.user.token);

  it("judges a name as Windows saves it: trailing dots and spaces go, so run.bat. and run.hta. are refused", async () => {
    const id = await freshAccount(w.id);
    for (const name of ["run.bat.", "run.hta.", "run.bat . .", "evil.url", "shortcut.lnk", "launcher.desktop"]) {
      const res = await up(id, form(txt, name, "text/plain"));
      expect(res.status, name).toBe(415);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await rowsFor(id)).toEqual([]);
  });

  it("refuses macro-enabled Office files whatever type they claim", async () => {
    const id = await freshAccount(w.id);
    const zip = concat(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(200));
    const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    for (const [name, type] of [["macro.docm", docx], ["book.xlsm", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], ["deck.pptm", "application/octet-stream"], ["macro.docm", "application/vnd.ms-word.document.macroEnabled.12"]] as const) {
      expect((await up(id, form(zip, name, type))).status, `${name} as ${type}`).toBe(415);
    }
    expect(await rowsFor(id)).toEqual([]);
  });

  it("requires the extension to fit the declared and sniffed type", async () => {
    const id = await freshAccount(w.id);
    const mismatch = await up(id, form(txt, "notes.cfg", "text/plain"));
    expect(mismatch.status).toBe(415);
    expect(mismatch.body.detail).toMatch(/\.cfg.*does not fit text\/plain/);
    expect((await up(id, form(pdf(), "scan.png", "application/pdf"))).status).toBe(415);
    expect(await rowsFor(id)).toEqual([]);
    // Fitting names (and names without an extension) are fine; a trailing dot is dropped from the stored name.
    expect((await up(id, form(txt, "notes.txt", "text/plain"))).status).toBe(201);
    expect((await up(id, form(txt, "README", "text/plain"))).status).toBe(201);
    const dotted = await up(id, form(pdf(), "Contract.pdf. ", "application/pdf"));
    expect(dotted.status).toBe(201);
    expect(dotted.body.filename).toBe("Contract.pdf");
    // A right-to-left override would make "report‮txt.exe" read as "reportexe.txt": it is removed.
    const rlo = await up(id, form(txt, "report\u202etxt.notes.txt", "text/plain"));
    expect(rlo.status).toBe(201);
    expect(rlo.body.filename).toBe("reporttxt.notes.txt");
  });
});

describe("upload rate and storage quota (audit L4)", () => {
  /** callWith sends bytes: a FormData becomes its multipart encoding. */
  async function uploadWith(overrides: Record<string, string>, w: TestWorkspace, accountId: string, fd: FormData) {
    const encoded = new Response(fd);
    const body = new Uint8Array(await encoded.arrayBuffer());
    return callWith(overrides, `/api/accounts/${accountId}/attachments`, { method: "POST", token: w.user.token, body, headers: { "Content-Type": encoded.headers.get("content-type")! } });
  }

  it("refuses a user's uploads past UPLOADS_PER_MINUTE with 429 and Retry-After; others are unaffected", async () => {
    const w = await createWorkspace();
    const id = await freshAccount(w.id);
    const limits = { UPLOADS_PER_MINUTE: "3" };
    for (let i = 0; i < 3; i++) expect((await uploadWith(limits, w, id, form(pdf(), `f${i}.pdf`, "application/pdf"))).status).toBe(201);
    const refused = await uploadWith(limits, w, id, form(pdf(), "f4.pdf", "application/pdf"));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.detail).toMatch(/3 files in the last minute/);
    expect(await rowsFor(id)).toHaveLength(3);
    // Another user of the same workspace has their own allowance.
    const admin = { ...w, user: w.admin };
    expect((await uploadWith(limits, admin, id, form(pdf(), "admin.pdf", "application/pdf"))).status).toBe(201);
  });

  it("refuses an upload past the workspace's quota with 413 saying how much is used; deleting frees space", async () => {
    const w = await createWorkspace();
    const id = await freshAccount(w.id);
    const quota = { UPLOAD_WORKSPACE_QUOTA_BYTES: "5000" };
    const first = await uploadWith(quota, w, id, form(pdf(), "a.pdf", "application/pdf"));
    expect(first.status).toBe(201);
    expect((await uploadWith(quota, w, id, form(pdf(), "b.pdf", "application/pdf"))).status).toBe(201);
    const full = await uploadWith(quota, w, id, form(pdf(), "c.pdf", "application/pdf"));
    expect(full.status).toBe(413);
    expect(full.body.detail).toMatch(/storage is full: 4\.0 KiB of 4\.9 KiB used/);
    expect(full.body.errors).toEqual([expect.objectContaining({ path: "file" })]);
    expect(await rowsFor(id)).toHaveLength(2);
    // Another workspace is not affected by this one's usage.
    const elsewhere = await freshAccount(other.id);
    expect((await uploadWith(quota, other, elsewhere, form(pdf(), "o.pdf", "application/pdf"))).status).toBe(201);
    expect((await api(`/api/attachments/${first.body.id}`, { method: "DELETE", token: w.user.token })).status).toBe(204);
    expect((await uploadWith(quota, w, id, form(pdf(), "c.pdf", "application/pdf"))).status).toBe(201);
  });
});
