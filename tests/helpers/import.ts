import { api, type TestUser } from "./worker";

export type ImportEntity = "accounts" | "contacts" | "leads" | "opportunities";

/** POST /api/import/<entity> as `who` with the file and, when given, the mapping and options form fields. */
export function importCsv(
  who: TestUser,
  entity: ImportEntity,
  file: string | Uint8Array,
  opts: { mapping?: Record<string, string | null>; options?: Record<string, unknown>; name?: string } = {},
) {
  const form = new FormData();
  form.append("file", new File([file], opts.name ?? `${entity}.csv`, { type: "text/csv" }));
  if (opts.mapping) form.append("mapping", JSON.stringify(opts.mapping));
  if (opts.options) form.append("options", JSON.stringify(opts.options));
  return api(`/api/import/${entity}`, { method: "POST", body: form, token: who.token });
}
