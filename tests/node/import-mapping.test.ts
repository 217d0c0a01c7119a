import { describe, expect, it } from "vitest";
import { entityMatchKeys, entityOptions, importFields, importOptionsSchema } from "../../worker/schemas/import-export";
import { webhookEventTypes } from "../../worker/schemas/webhooks";
import { WEBHOOK_EVENTS } from "../../web/lib/webhook-events";
import { parseCsv, toCsv } from "../../web/lib/csv";
import {
  detectAmountUnit, detectDateFormat, ENTITY_OPTIONS, IMPORT_FIELDS, importOptionsFor, mappingProblem, MATCH_KEYS, suggestMapping, suggestStage, type ImportEntity,
} from "../../web/lib/import-mapping";
import { parseMajorAmount } from "../../web/lib/parse";

const STAGES = [
  { name: "Prospecting", kind: "open" as const },
  { name: "Qualification", kind: "open" as const },
  { name: "Proposal", kind: "open" as const },
  { name: "Closed Won", kind: "won" as const },
  { name: "Closed Lost", kind: "lost" as const },
];

describe("import wizard: column suggestions", () => {
  it("offers exactly the fields the server accepts (and settings exactly its webhook events)", () => {
    expect(IMPORT_FIELDS).toEqual(importFields);
    expect(WEBHOOK_EVENTS).toEqual(webhookEventTypes);
  });

  it("maps headers naming the workspace's custom fields (by label or key) to custom.<key>, after the core fields", () => {
    const custom = [
      { name: "custom.segment", label: "Segment" },
      { name: "custom.notice_period", label: "Notice period (days)" },
    ];
    const mapping = suggestMapping("opportunities", ["Deal name", "Amount", "Segment", "notice_period", "Favourite colour"], custom);
    expect(mapping).toEqual({ "Deal name": "name", Amount: "amount", Segment: "custom.segment", notice_period: "custom.notice_period", "Favourite colour": "" });
    // Without custom fields the same headers stay unmapped rather than landing in a core field.
    expect(suggestMapping("opportunities", ["Segment"])).toEqual({ Segment: "" });
  });

  it("maps common spreadsheet headers of a contact list", () => {
    const mapping = suggestMapping("contacts", ["First Name", "Last Name", "E-mail", "Company", "Job Title", "Mobile", "Owner"]);
    expect(mapping).toEqual({
      "First Name": "firstName",
      "Last Name": "lastName",
      "E-mail": "email",
      Company: "accountName",
      "Job Title": "title",
      Mobile: "mobilePhone",
      Owner: "ownerEmail",
    });
  });

  it("reads the same header by entity: Company is the account's own name in an account import", () => {
    expect(suggestMapping("accounts", ["Company", "Website", "Employees"])).toEqual({ Company: "name", Website: "website", Employees: "employees" });
    expect(suggestMapping("leads", ["Name", "Company", "Lead Source", "Status"])).toEqual({ Name: "name", Company: "company", "Lead Source": "source", Status: "status" });
  });

  it("maps deal headers, tolerates a typo, and leaves unknown columns unmapped", () => {
    expect(suggestMapping("opportunities", ["Deal Name", "Account", "Value", "Stage", "Close Date", "Probabilty", "Favourite colour"])).toEqual({
      "Deal Name": "name",
      Account: "accountName",
      Value: "amount",
      Stage: "stageName",
      "Close Date": "closeDate",
      Probabilty: "probability",
      "Favourite colour": "",
    });
  });

  it("never maps two columns to one field, and says what is missing", () => {
    const mapping = suggestMapping("contacts", ["Email", "Mail"]);
    expect(Object.values(mapping).filter((f) => f === "email")).toHaveLength(1);
    expect(mappingProblem("accounts", { Website: "website" })).toMatch(/Name/);
    expect(mappingProblem("contacts", { A: "email", B: "email" })).toMatch(/Two columns/);
    expect(mappingProblem("contacts", { Mail: "email" })).toBeNull();
  });
});

describe("import wizard: values", () => {
  it("maps stage values to our stages", () => {
    expect(suggestStage("proposal", STAGES)).toBe("Proposal");
    expect(suggestStage("Closed - Won", STAGES)).toBe("Closed Won");
    expect(suggestStage("Lost", STAGES)).toBe("Closed Lost");
    expect(suggestStage("Qualify", STAGES)).toBe("Qualification");
    expect(suggestStage("Discovery", STAGES)).toBe("");
  });

  it("detects the date format from the values, and says when it cannot be sure", () => {
    expect(detectDateFormat(["2027-03-31", "2027-04-01"])).toEqual({ format: "YYYY-MM-DD", certain: true });
    expect(detectDateFormat(["3/31/2027", "4/1/2027"])).toEqual({ format: "M/D/YYYY", certain: true });
    expect(detectDateFormat(["31/3/2027"])).toEqual({ format: "D/M/YYYY", certain: true });
    expect(detectDateFormat(["3/4/2027"])).toEqual({ format: "M/D/YYYY", certain: false });
  });

  it("treats our own export's amounts as cents and a spreadsheet's as whole units", () => {
    expect(detectAmountUnit(["externalId", "name", "amount", "currency"], ["1250000", "800000"])).toBe("minor");
    expect(detectAmountUnit(["Deal", "Value"], ["12500", "8000"])).toBe("major");
  });

  it("parses amounts typed in whole units into minor units", () => {
    expect(parseMajorAmount("12,500.50", 2)).toBe(1_250_050);
    expect(parseMajorAmount("12.500,50", 2)).toBe(1_250_050);
    expect(parseMajorAmount("$ 48 000", 2)).toBe(4_800_000);
    expect(parseMajorAmount("12k", 2)).toBe(1_200_000);
    expect(parseMajorAmount("1,234", 2)).toBe(123_400);
    expect(parseMajorAmount("5000", 0)).toBe(5000);
    expect(parseMajorAmount("", 2)).toBeNull();
    expect(parseMajorAmount("lots", 2)).toBeNaN();
  });
});

describe("import wizard: CSV reading", () => {
  it("reads quoted fields, doubled quotes, line breaks in quotes, CRLF and a BOM", () => {
    const text = '\uFEFFName,Notes\r\n"Acme, Inc.","said ""hi""\nthen left"\r\n\r\nGlobex,\r\n';
    const parsed = parseCsv(text);
    expect(parsed.header).toEqual(["Name", "Notes"]);
    expect(parsed.rows).toEqual([["Acme, Inc.", 'said "hi"\nthen left'], ["Globex", ""]]);
    expect(parsed.unterminated).toBe(false);
  });

  it("detects semicolon and tab files and writes them back as comma-separated CSV", () => {
    const parsed = parseCsv("Name;Amount\nAcme;1.234,50\n");
    expect(parsed.delimiter).toBe(";");
    expect(toCsv(parsed.header, parsed.rows)).toBe('Name,Amount\r\nAcme,"1.234,50"\r\n');
    expect(parseCsv("a\tb\n1\t2").rows).toEqual([["1", "2"]]);
  });

  it("flags a quote that is never closed", () => {
    expect(parseCsv('Name\n"Acme\n').unterminated).toBe(true);
  });
});

describe("import wizard: options", () => {
  it("knows the same per-entity options and match keys as the server", () => {
    expect(ENTITY_OPTIONS).toEqual(entityOptions);
    expect(MATCH_KEYS).toEqual(entityMatchKeys);
  });

  it("sends each entity only options that apply to it, and the server's schema accepts them", () => {
    const choices = (mapped: string[]) => ({
      dryRun: true,
      duplicates: "update" as const,
      importSessionId: "6f1f7a52-3f7c-4c55-9a57-1d1c2f0e9b10",
      mapped: (f: string) => mapped.includes(f),
      dateFormat: "M/D/YYYY" as const,
      amountUnit: "major" as const,
      currency: "EUR",
      createMissingAccounts: true,
      valueMap: {},
    });
    const all = ["name", "email", "accountName", "amount", "annualRevenue", "closeDate", "currency"];
    const sent = (entity: ImportEntity, mapped = all) => Object.keys(importOptionsFor(entity, choices(mapped))).sort();
    const common = ["dryRun", "duplicates", "importSessionId", "valueMap"];
    expect(sent("contacts")).toEqual([...common, "createMissingAccounts"].sort());
    expect(sent("leads")).toEqual(common.sort());
    expect(sent("accounts")).toEqual([...common, "amountUnit", "currency"].sort());
    expect(sent("accounts", ["name"])).toEqual(common.sort());
    expect(sent("opportunities")).toEqual([...common, "amountUnit", "createMissingAccounts", "currency", "dateFormat"].sort());
    expect(sent("opportunities", ["name"])).toEqual([...common, "currency"].sort());
    for (const entity of Object.keys(ENTITY_OPTIONS) as ImportEntity[]) {
      const options = importOptionsFor(entity, choices(all));
      expect(importOptionsSchema.safeParse(options).success, entity).toBe(true);
      const extra = Object.keys(options).filter((k) => !common.includes(k));
      expect(extra.every((k) => (entityOptions[entity] as readonly string[]).includes(k)), entity).toBe(true);
    }
  });
});
