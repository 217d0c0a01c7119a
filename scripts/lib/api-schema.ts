/**
 * The SPA's wire types, generated from the Worker's OpenAPI document (the one GET /api/openapi.json serves), built in
 * Node from worker/app.ts without a server or a database: `npm run gen:api` writes web/lib/api-schema.d.ts and
 * tests/node/api-schema.test.ts fails when the committed file differs from what the routes describe now.
 *
 * The document's schemas come from the routes' zod contracts, so the subset of JSON Schema to translate is small
 * (objects, arrays, enums, nullable types, unions, $ref): a few lines here instead of a generator that needs the
 * TypeScript 5 compiler API (this project is on TypeScript 7).
 */

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
export const API_SCHEMA_FILE = "web/lib/api-schema.d.ts";

// Loaded by a computed path: the scripts' type-check (Node types, no Workers runtime types) must not follow it into
// the Worker's sources, which worker/tsconfig checks.
const APP_MODULE = "../../worker/app.ts";

/** The OpenAPI 3.1 document of the API, as served (minus the per-request server URL). */
export async function openApiDocument(): Promise<Json> {
  const { app } = (await import(APP_MODULE)) as { app: { getOpenAPI31Document(config: object): unknown } };
  return app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Bespoke CRM API", version: "1.0.0" } }) as Json;
}

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const pad = (depth: number) => "  ".repeat(depth);

/** A JSON Schema (the subset zod produces) as a TypeScript type. */
function typeOf(schema: unknown, depth: number): string {
  if (schema === true || schema === undefined || schema === null || typeof schema !== "object") return "unknown";
  const s = schema as Json;
  if (typeof s.$ref === "string") return `components["schemas"][${JSON.stringify(s.$ref.replace(/^#\/components\/schemas\//, ""))}]`;
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (union) return union.map((u) => wrap(typeOf(u, depth))).join(" | ");
  if (Array.isArray(s.allOf)) return s.allOf.map((u) => wrap(typeOf(u, depth))).join(" & ");
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in s) return JSON.stringify(s.const);
  let types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
  if (types.length === 0) types = s.properties ? ["object"] : s.items ? ["array"] : [];
  if (types.length === 0) return "unknown";
  return types.map((t) => single(t, s, depth)).join(" | ");
}

/** Parenthesised when `t` is a union or intersection at its top level (`(A | B)[]`, not `{ a: A | B }[]`). */
function wrap(t: string): string {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (ch === "{" || ch === "(" || ch === "[" || ch === "<") depth++;
    else if (ch === "}" || ch === ")" || ch === "]" || ch === ">") depth--;
    else if (depth === 0 && (t.startsWith(" | ", i) || t.startsWith(" & ", i))) return `(${t})`;
  }
  return t;
}

function single(type: string, s: Json, depth: number): string {
  switch (type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      if (Array.isArray(s.prefixItems)) return `[${s.prefixItems.map((i) => typeOf(i, depth)).join(", ")}]`;
      return `${wrap(typeOf(s.items, depth))}[]`;
    case "object": {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set((s.required as string[] | undefined) ?? []);
      const lines = Object.entries(props).map(([name, p]) => `${pad(depth + 1)}${key(name)}${required.has(name) ? "" : "?"}: ${typeOf(p, depth + 1)};`);
      const extra = s.additionalProperties;
      if (extra !== undefined && extra !== false) lines.push(`${pad(depth + 1)}[key: string]: ${extra === true ? "unknown" : typeOf(extra, depth + 1)};`);
      if (lines.length === 0) return extra === false ? "Record<string, never>" : "Record<string, unknown>";
      return `{\n${lines.join("\n")}\n${pad(depth)}}`;
    }
    default:
      return "unknown";
  }
}

function content(body: unknown, depth: number): string {
  const c = (body as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
  if (!c) return "never";
  const media = c["application/json"] ?? c["application/problem+json"] ?? Object.values(c)[0];
  return media ? typeOf(media.schema, depth) : "never";
}

function operation(op: Json, depth: number): string {
  const params = (op.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: unknown }[];
  const group = (where: string) => {
    const list = params.filter((p) => p.in === where);
    if (list.length === 0) return "never";
    return `{\n${list.map((p) => `${pad(depth + 3)}${key(p.name)}${p.required ? "" : "?"}: ${typeOf(p.schema, depth + 3)};`).join("\n")}\n${pad(depth + 2)}}`;
  };
  const responses = Object.entries((op.responses ?? {}) as Record<string, unknown>).map(
    ([status, r]) => `${pad(depth + 2)}${/^\d+$/.test(status) ? status : JSON.stringify(status)}: ${content(r, depth + 2)};`,
  );
  return [
    "{",
    `${pad(depth + 1)}parameters: {`,
    `${pad(depth + 2)}path: ${group("path")};`,
    `${pad(depth + 2)}query: ${group("query")};`,
    `${pad(depth + 1)}};`,
    `${pad(depth + 1)}requestBody: ${content(op.requestBody, depth + 1)};`,
    `${pad(depth + 1)}responses: {`,
    ...responses,
    `${pad(depth + 1)}};`,
    `${pad(depth)}}`,
  ].join("\n");
}

/** The text of web/lib/api-schema.d.ts for the current routes. */
export function generateApiSchema(doc: Json): string {
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const paths = (doc.paths ?? {}) as Record<string, Json>;
  const out: string[] = [
    "// Generated by `npm run gen:api` from the Worker's OpenAPI document (scripts/lib/api-schema.ts). Do not edit:",
    "// change the route's zod contract and run `npm run gen:api` (tests/node/api-schema.test.ts fails when this is stale).",
    "",
    "export interface paths {",
  ];
  for (const path of Object.keys(paths).sort()) {
    out.push(`  ${JSON.stringify(path)}: {`);
    for (const method of METHODS) {
      const op = paths[path]![method] as Json | undefined;
      if (op) out.push(`    ${method}: ${operation(op, 2)};`);
    }
    out.push("  };");
  }
  out.push("}", "", "export interface components {", "  schemas: {");
  for (const name of Object.keys(schemas).sort()) out.push(`    ${key(name)}: ${typeOf(schemas[name], 2)};`);
  out.push("  };", "}", "");
  return out.join("\n");
}
