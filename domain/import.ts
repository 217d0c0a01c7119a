/*
 * CSV import and export, derived from the declarations: the fields a column may be mapped to (references expand to
 * one field per way of naming the row: ownerId, ownerEmail, accountExternalId, accountName…), their labels and
 * header aliases for the wizard, how a cell is read, and the export's columns. No zod: the wizard imports this.
 */
import { domain } from "./index";
import { refName, type EntityDecl, type EntityPlural, type FieldDecl, type RefBy } from "./field";

/** How a cell becomes a value before the entity's create schema validates it. Unlisted fields are text. */
export type ImportKind = "int" | "amount" | "date" | "lowercase" | "relation";

export interface ImportField {
  /** The name a mapping and an export header use. */
  name: string;
  /** The declared field it writes. */
  field: string;
  label: string;
  aliases: readonly string[];
  kind?: ImportKind;
  /** References: the group (the field it fills) and how the cell names the row. */
  relation?: { field: string; by: RefBy };
  keepWhenEmpty?: boolean;
}

const declOf = (e: EntityPlural | EntityDecl): EntityDecl =>
  typeof e === "string" ? (Object.values(domain).find((d) => d.plural === e) as unknown as EntityDecl) : e;

function kindOf(f: FieldDecl): ImportKind | undefined {
  if (f.type === "money") return "amount";
  if (f.type === "number" || f.type === "percent") return "int";
  if (f.type === "date") return "date";
  if (f.type === "single_select") return "lowercase";
  return undefined;
}

const memo = new WeakMap<EntityDecl, ImportField[]>();

/** The import fields of an entity, in declaration order (that order is also the mapping list's). */
export function importFieldsOf(e: EntityPlural | EntityDecl): ImportField[] {
  const decl = declOf(e);
  const hit = memo.get(decl);
  if (hit) return hit;
  const out: ImportField[] = [];
  for (const [key, f] of Object.entries(decl.fields)) {
    if (f.import === false || f.readOnly || f.outputOnly) continue;
    const imp = f.import ?? {};
    if (imp.by) {
      for (const by of imp.by) {
        out.push({
          name: refName(key, f, by),
          field: key,
          label: imp.byLabels?.[by] ?? `${f.label} (${by})`,
          aliases: imp.byAliases?.[by] ?? [],
          kind: "relation",
          relation: { field: key, by },
          keepWhenEmpty: imp.keepWhenEmpty,
        });
      }
      continue;
    }
    out.push({ name: key, field: key, label: imp.label ?? f.label, aliases: imp.aliases ?? [], kind: kindOf(f), keepWhenEmpty: imp.keepWhenEmpty });
  }
  memo.set(decl, out);
  return out;
}

/** Export columns: the import names an export writes, so a re-import of an export updates in place. */
export function exportColumnsOf(e: EntityPlural | EntityDecl): { name: string; field: string; by?: RefBy }[] {
  const decl = declOf(e);
  const out: { name: string; field: string; by?: RefBy }[] = [];
  for (const [key, f] of Object.entries(decl.fields)) {
    if (f.export === false || f.readOnly || f.outputOnly || f.import === false) continue;
    const by = f.export?.by;
    if (by) for (const b of by) out.push({ name: refName(key, f, b), field: key, by: b });
    else out.push({ name: key, field: key });
  }
  return out;
}

export const IMPORT_ENTITIES: readonly EntityPlural[] = ["accounts", "contacts", "leads", "opportunities"];

/** `{ accounts: [names…], … }`: what `importFields` in the import contract lists. */
export function importFieldNames(): Record<EntityPlural, string[]> {
  return Object.fromEntries(IMPORT_ENTITIES.map((p) => [p, importFieldsOf(p).map((f) => f.name)])) as Record<EntityPlural, string[]>;
}
