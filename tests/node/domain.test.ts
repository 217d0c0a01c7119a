import { getTableConfig, PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { accounts, contacts, leads, opportunities } from "../../db/schema";
import { columnOf, contact, domain, SYSTEM_COLUMNS, type EntityDecl } from "../../domain";
import { aiFieldsOf, aiValues } from "../../domain/ai";
import { contractsOf } from "../../domain/contracts";
import { exportColumnsOf, importFieldsOf } from "../../domain/import";
import { coreFieldMeta } from "../../domain/meta";
import { selectFrom } from "../../worker/services/export/stream";

/**
 * The domain model is the one place a core field is declared: everything else derives from it. A field added to a
 * fixture copy of an entity must show up in every derived layer, and every column of the tables must be declared.
 */

const withLinkedin = {
  ...contact,
  fields: {
    ...contact.fields,
    linkedinUrl: { label: "LinkedIn", type: "url", max: 300, import: { aliases: ["linkedin", "linkedinprofile"] }, ui: { detail: true } },
  },
} as const satisfies EntityDecl;

describe("one declaration, every layer", () => {
  it("a field added to the declaration is in the create, update and output contracts, validated as declared", () => {
    const c = contractsOf(withLinkedin);
    expect(c.create.shape).toHaveProperty("linkedinUrl");
    expect(c.update.shape).toHaveProperty("linkedinUrl");
    expect(c.output.shape).toHaveProperty("linkedinUrl");
    expect(c.create.safeParse({ name: "Ada", linkedinUrl: "https://linkedin.com/in/ada" }).success).toBe(true);
    const tooLong = c.update.safeParse({ linkedinUrl: "x".repeat(301) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error!.issues[0]!.path).toEqual(["linkedinUrl"]);
    // The entity's own contract is untouched (the fixture is a copy) and both carry `custom`.
    expect(contractsOf(contact).create.shape).not.toHaveProperty("linkedinUrl");
    expect(contractsOf(contact).create.shape).toHaveProperty("custom");
    expect(c.output.shape).toHaveProperty("custom");
  });

  it("… in the import spec (with its header aliases) and the export's columns and SELECT", () => {
    const f = importFieldsOf(withLinkedin).find((x) => x.name === "linkedinUrl");
    expect(f).toMatchObject({ label: "LinkedIn", aliases: ["linkedin", "linkedinprofile"] });
    expect(exportColumnsOf(withLinkedin).map((c) => c.name)).toContain("linkedinUrl");
    const { sql } = new PgDialect().sqlToQuery(selectFrom(withLinkedin));
    expect(sql).toContain(`contacts.linkedin_url as "linkedinUrl"`);
  });

  it("… in the AI context's rows, and private by declaration when it says so", () => {
    expect(aiFieldsOf(withLinkedin).map(([k]) => k)).toContain("linkedinUrl");
    expect(aiValues(withLinkedin, { linkedinUrl: "https://linkedin.com/in/ada", externalId: "x-1" })).toEqual({ linkedinUrl: "https://linkedin.com/in/ada" });
    const hidden = { ...withLinkedin, fields: { ...withLinkedin.fields, linkedinUrl: { ...withLinkedin.fields.linkedinUrl, ai: { private: true } } } } as EntityDecl;
    expect(coreFieldMeta(hidden).find((m) => m.key === "linkedinUrl")).toMatchObject({ aiPrivate: true });
  });

  it("… in GET /api/meta's field list", () => {
    expect(coreFieldMeta(withLinkedin).find((m) => m.key === "linkedinUrl")).toMatchObject({
      label: "LinkedIn",
      type: "url",
      source: "core",
      importable: true,
      exportable: true,
      showOnDetail: true,
    });
  });

  it("a test-only entity gets contracts, import fields and metadata from its declaration alone", () => {
    const widget: EntityDecl = {
      key: "account",
      plural: "accounts",
      label: "Widget",
      labelPlural: "Widgets",
      table: "widgets",
      defaultSort: "name",
      requiredAnyOf: ["name"],
      matchKeys: ["externalId"],
      fields: {
        name: { label: "Name", type: "text", required: true, max: 50, sort: {} },
        size: { label: "Size", type: "single_select", options: [{ value: "s", label: "Small" }, { value: "l", label: "Large" }] },
        price: { label: "Price", type: "money" },
      },
    };
    const c = contractsOf(widget);
    expect(c.create.safeParse({ size: "s" }).success).toBe(false);
    expect(c.create.safeParse({ name: "W", size: "m" }).success).toBe(false);
    expect(c.create.safeParse({ name: "W", size: "l", price: 1250 }).success).toBe(true);
    expect(importFieldsOf(widget).map((f) => [f.name, f.kind])).toEqual([["name", undefined], ["size", "lowercase"], ["price", "amount"]]);
    expect(coreFieldMeta(widget).map((m) => m.key)).toEqual(["name", "size", "price"]);
  });
});

describe("the declarations cover the tables", () => {
  const tables = { account: accounts, contact: contacts, lead: leads, opportunity: opportunities };
  for (const [key, table] of Object.entries(tables)) {
    it(`every non-system column of ${getTableConfig(table).name} is declared in domain/${key}.ts, and nothing else is`, () => {
      const decl = domain[key as keyof typeof domain] as unknown as EntityDecl;
      const columns = getTableConfig(table).columns.map((c) => c.name).filter((n) => !(SYSTEM_COLUMNS as readonly string[]).includes(n));
      const declared = Object.entries(decl.fields)
        .filter(([, f]) => !f.inputOnly)
        .map(([k, f]) => columnOf(k, f))
        .filter((c): c is string => c !== null);
      expect(declared.sort()).toEqual(columns.sort());
    });
  }
});
