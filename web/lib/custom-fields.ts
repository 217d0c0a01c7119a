/*
 * Custom fields in the SPA: the registry calls behind Settings → Fields, and a read of one entity's fields for lists,
 * filters and board cards through the query cache (lib/queries.ts). Wire types come from the Worker's zod contracts
 * (type-only imports).
 */
import type { z } from "zod";
import type * as cf from "../../worker/schemas/custom-fields";
import { apiRequest } from "./api";
import { queries } from "./queries";
import { useQueryResource } from "./useResource";

export type CustomField = cf.CustomField;
export type CustomFieldEntity = CustomField["entity"];
export type CustomFieldType = CustomField["type"];
export type CustomFieldCreate = z.input<typeof cf.customFieldCreateSchema>;
export type CustomFieldUpdate = z.input<typeof cf.customFieldUpdateSchema>;
export type ConversionReport = cf.ConversionReport;

export const CUSTOM_FIELD_TYPES: { value: CustomFieldType; label: string }[] = [
  { value: "text", label: "Text" },
  { value: "long_text", label: "Long text" },
  { value: "number", label: "Number" },
  { value: "money", label: "Money" },
  { value: "percent", label: "Percent" },
  { value: "date", label: "Date" },
  { value: "datetime", label: "Date and time" },
  { value: "checkbox", label: "Checkbox" },
  { value: "single_select", label: "Single select" },
  { value: "multi_select", label: "Multi select" },
  { value: "url", label: "URL" },
  { value: "email", label: "E-mail" },
  { value: "phone", label: "Phone" },
  { value: "user", label: "User" },
  { value: "record_link", label: "Link to a record" },
];
export const typeLabel = (t: string) => CUSTOM_FIELD_TYPES.find((x) => x.value === t)?.label ?? t;

export const ENTITY_LABELS: Record<CustomFieldEntity, string> = { account: "Accounts", contact: "Contacts", lead: "Leads", opportunity: "Opportunities" };

export function listFields(query: { entity?: CustomFieldEntity; deleted?: boolean } = {}, options: { signal?: AbortSignal } = {}) {
  return apiRequest<{ data: CustomField[] }>("/api/fields", { ...options, query: { ...(query.entity ? { entity: query.entity } : {}), ...(query.deleted ? { deleted: "true" } : {}) } }).then((r) => r.data);
}
export const createField = (body: CustomFieldCreate) => apiRequest<CustomField>("/api/fields", { method: "POST", body });
export const updateField = (id: string, body: CustomFieldUpdate) =>
  apiRequest<{ field: CustomField; conversion: ConversionReport | null }>(`/api/fields/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const deleteField = (id: string) => apiRequest<CustomField>(`/api/fields/${encodeURIComponent(id)}`, { method: "DELETE" });
export const restoreField = (id: string) => apiRequest<CustomField>(`/api/fields/${encodeURIComponent(id)}/restore`, { method: "POST" });

/** The entity's live custom fields (empty until loaded, and on error: custom fields are extras, never a blocker). */
export function useCustomFields(entity: CustomFieldEntity): CustomField[] {
  return useQueryResource(queries.customFields(entity)).data ?? EMPTY;
}
const EMPTY: CustomField[] = [];

/** A stored value as a person reads it (option labels, Yes/No, money in major units). */
export function formatCustomValue(field: CustomField, value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (field.type) {
    case "single_select":
      return field.options.find((o) => o.value === value)?.label ?? String(value);
    case "multi_select":
      return (Array.isArray(value) ? value : [value]).map((v) => field.options.find((o) => o.value === v)?.label ?? String(v)).join(", ");
    case "checkbox":
      return value ? "Yes" : "No";
    case "money": {
      const currency = typeof field.settings.currency === "string" ? field.settings.currency : "USD";
      try {
        return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(Number(value) / 100);
      } catch {
        return (Number(value) / 100).toFixed(2);
      }
    }
    case "percent":
      return `${String(value)}%`;
    default:
      return String(value);
  }
}

/** The option's colour, for chips. */
export const optionColor = (field: CustomField, value: unknown) => field.options.find((o) => o.value === value)?.color ?? null;
