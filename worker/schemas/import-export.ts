import { z } from "zod";
import { currencySchema } from "./common";
import { domain } from "../../domain";
import { importFieldNames } from "../../domain/import";
import { listQuerySchema } from "./records";

/** CSV import / export contracts. The SPA imports these; they import only zod. */

export const importEntities = ["accounts", "contacts", "leads", "opportunities"] as const;
export type ImportEntity = (typeof importEntities)[number];

export const dateFormats = ["YYYY-MM-DD", "M/D/YYYY", "D/M/YYYY"] as const;

/**
 * Fields a CSV column may be mapped to, per entity: the entity's create fields plus `externalId` and the relation
 * fields matched by name (`accountName`, `ownerEmail`, `stageName`) or by the related record's externalId
 * (`accountExternalId`, `primaryContactExternalId`; a record without an externalId is matched by its id, which is
 * what the export writes for it). Derived from the declarations in domain/ (domain/import.ts).
 */
export const importFields: Record<ImportEntity, readonly string[]> = importFieldNames();

export const duplicateModes = ["update", "skip", "create"] as const;
export type DuplicateMode = (typeof duplicateModes)[number];

/** How a row is matched to an existing record: its externalId (or id), else the entity's natural key. */
export const matchKeys = ["externalId", "email", "domain", "name"] as const;
export type MatchKey = (typeof matchKeys)[number];

/** The natural keys each entity is matched on after externalId, in order (opportunities have none). */
export const entityMatchKeys: Record<ImportEntity, readonly MatchKey[]> = {
  accounts: domain.account.matchKeys,
  contacts: domain.contact.matchKeys,
  leads: domain.lead.matchKeys,
  opportunities: domain.opportunity.matchKeys,
};

export const importOptionsSchema = z.strictObject({
  dryRun: z.boolean().default(false).describe("Validate and count without writing anything"),
  duplicates: z
    .enum(duplicateModes)
    .default("update")
    .describe(
      "A row that matches an existing record (by externalId, then e-mail for contacts and leads, domain then exact name for accounts): " +
        "update it (default), skip the row, or create a new record anyway",
    ),
  importSessionId: z
    .uuid({ error: "must be a UUID" })
    .optional()
    .describe(
      "Any UUID the client picks and sends with consecutive imports (the wizard keeps one per browser tab). Accounts an import of the " +
        "session created or matched are remembered for 24 hours: when a later import of the session names an account that several " +
        "accounts are called, the session's one is taken",
    ),
  createMissingAccounts: z.boolean().default(false).describe("Create an account for an accountName that matches none (contacts, opportunities)"),
  dateFormat: z.enum(dateFormats).default("YYYY-MM-DD").describe("How date cells are written (opportunities' closeDate)"),
  amountUnit: z
    .enum(["major", "minor"])
    .default("minor")
    .describe('minor: integer cents as the API and the export use; major: "1,234.50" in the currency\'s main unit (accounts, opportunities)'),
  currency: currencySchema.optional().describe("Currency for rows without a currency cell (accounts, opportunities)"),
  valueMap: z
    .record(z.string(), z.record(z.string(), z.string()))
    .default({})
    .describe('Per field, CSV value → our value, e.g. {"stageName": {"Closed - Won": "Closed Won"}}'),
});
export type ImportOptions = z.output<typeof importOptionsSchema>;

/**
 * Options that only mean something for some entities. Sent for another entity they are ignored (and listed in the
 * reply's `ignoredOptions`) rather than refused, so one client can send the same options everywhere.
 */
export const entityOptions = {
  accounts: ["amountUnit", "currency"],
  contacts: ["createMissingAccounts"],
  leads: [],
  opportunities: ["createMissingAccounts", "dateFormat", "amountUnit", "currency"],
} as const satisfies Record<ImportEntity, readonly (keyof ImportOptions)[]>;
export const entitySpecificOptions = ["createMissingAccounts", "dateFormat", "amountUnit", "currency"] as const;

/** `{"<csv header>": "<field>"}`; a column mapped to "" or null is ignored like an unmapped one. */
export const importMappingSchema = z.record(z.string(), z.string().nullable());

export const importErrorSchema = z.object({
  row: z.number().int().describe("Spreadsheet row number: the header is row 1, the first data row is row 2"),
  column: z.string().nullable().describe("The CSV header of the offending cell, when one cell is to blame"),
  message: z.string(),
});

export const importResultSchema = z
  .object({
    dryRun: z.boolean(),
    rows: z.number().int().describe("Data rows in the file (blank rows excluded)"),
    created: z.number().int(),
    updated: z.number().int().describe("Existing records (matched by externalId, e-mail, domain or name) whose data changed"),
    unchanged: z.number().int().describe("Existing records the file matched and that already held the same data"),
    skipped: z.number().int().describe("Rows not written because of an error"),
    accountsCreated: z.number().int().describe("Accounts created for unknown account names (createMissingAccounts)"),
    duplicates: z.enum(duplicateModes).describe("The duplicate handling used"),
    matched: z
      .object({
        total: z.number().int(),
        externalId: z.number().int(),
        email: z.number().int(),
        domain: z.number().int(),
        name: z.number().int(),
      })
      .describe("Rows that matched an existing record, in total and by the key that matched (externalId includes a match by id)"),
    duplicatesSkipped: z.number().int().describe('Rows that matched an existing record and were left alone (duplicates: "skip")'),
    ignoredOptions: z.array(z.string()).describe("Options sent that do not apply to this entity, e.g. currency for contacts"),
    errors: z.array(importErrorSchema),
    errorsTruncated: z.boolean().describe("More errors than listed (the first 1,000 are)"),
  })
  .meta({ id: "ImportResult" });
export type ImportResult = z.infer<typeof importResultSchema>;

/** The list's own filters and sort (`GET /api/{entity}`), so the export holds what the list shows. */
export const exportQuerySchema = listQuerySchema.omit({ limit: true, cursor: true, deleted: true }).extend({
  bom: z.enum(["true", "false"]).optional().describe("Prefix a UTF-8 byte-order mark (Excel needs it to read UTF-8)"),
  download: z.string().max(2000).optional().describe("The token of a link from GET /api/export/{entity}/link, instead of the Authorization header"),
});

export type ExportQuery = z.output<typeof exportQuerySchema>;

export const exportLinkSchema = z
  .object({
    url: z.string().describe("Same-origin path of the export with its filters and a one-minute download token"),
    expiresAt: z.string(),
  })
  .meta({ id: "ExportLink" });
