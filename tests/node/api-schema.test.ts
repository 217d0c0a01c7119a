/**
 * web/lib/api-schema.d.ts is generated from the Worker's OpenAPI document (`npm run gen:api`): it must match what the
 * routes' zod contracts describe now, or the SPA compiles against a wire format the server no longer speaks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_SCHEMA_FILE, generateApiSchema, openApiDocument } from "../../scripts/lib/api-schema";

describe("generated API types", () => {
  it("web/lib/api-schema.d.ts is up to date with the routes (run `npm run gen:api` if not)", async () => {
    const committed = readFileSync(API_SCHEMA_FILE, "utf8");
    const current = generateApiSchema(await openApiDocument());
    expect(current === committed, "web/lib/api-schema.d.ts is stale: run `npm run gen:api` and commit the result").toBe(true);
  });

  it("covers every path of the OpenAPI document", async () => {
    const doc = await openApiDocument();
    const text = generateApiSchema(doc);
    for (const path of Object.keys(doc.paths as object)) expect(text).toContain(`  ${JSON.stringify(path)}: {`);
  });
});
