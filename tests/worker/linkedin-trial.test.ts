import { beforeAll, expect, it } from "vitest";
import { importCsv } from "../helpers/import";
import { api, createWorkspace, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

it("a new core field works end to end from one declaration + its migration", async () => {
  const created = await api("/api/contacts", { method: "POST", token: ws.user.token, body: { name: "Ada Lovelace", linkedinUrl: "https://linkedin.com/in/ada" } });
  expect(created.status).toBe(201);
  expect(created.body.linkedinUrl).toBe("https://linkedin.com/in/ada");
  const bad = await api("/api/contacts", { method: "POST", token: ws.user.token, body: { name: "B", linkedinUrl: "x".repeat(301) } });
  expect(bad.status).toBe(422);
  expect(JSON.stringify(bad.body.errors)).toContain("linkedinUrl");
  const meta = await api("/api/meta", { token: ws.viewer.token });
  expect(meta.body.entities.contact.fields.map((f: { key: string }) => f.key)).toContain("linkedinUrl");
  const doc = await api("/api/openapi.json");
  expect(JSON.stringify(doc.body.components.schemas.Contact)).toContain("linkedinUrl");
  const imported = await importCsv(ws.user, "contacts", "Name,LinkedIn\nGrace Hopper,https://linkedin.com/in/grace\n", { mapping: { Name: "name", LinkedIn: "linkedinUrl" } });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const exported = await api("/api/export/contacts.csv?q=grace", { token: ws.user.token });
  expect(String(exported.body).split("\n")[0]).toContain("linkedinUrl");
  expect(String(exported.body)).toContain("https://linkedin.com/in/grace");
  const list = await api("/api/contacts?q=grace", { token: ws.user.token });
  expect(list.body.data[0].linkedinUrl).toBe("https://linkedin.com/in/grace");
});
