/**
 * `npm run gen:api`: writes web/lib/api-schema.d.ts (the SPA's wire types) from the Worker's OpenAPI document, built
 * from worker/app.ts in this process — no server, no database. Run it after changing a route's zod contract.
 */
import { writeFileSync } from "node:fs";
import { API_SCHEMA_FILE, generateApiSchema, openApiDocument } from "./lib/api-schema";

const text = generateApiSchema(await openApiDocument());
writeFileSync(API_SCHEMA_FILE, text);
console.log(`${API_SCHEMA_FILE}: ${text.split("\n").length} lines`);
