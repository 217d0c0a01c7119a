import { z } from "zod";
import { roleSchema } from "./common";

/** API key contracts. The SPA imports these; they import only zod. */

export const apiKeyCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters").describe("What the key is for, e.g. \"Zapier sync\""),
  role: roleSchema.describe("What the key may do: VIEWER reads, USER reads and writes, ADMIN everything an admin can (except managing keys and sign-in)"),
});

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** Identifies the key in lists and logs: the key starts with bk_live_<prefix>_. */
    prefix: z.string(),
    role: z.enum(["ADMIN", "USER", "VIEWER"]),
    createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof apiKeySchema>;

export const apiKeyCreatedSchema = apiKeySchema
  .extend({ secret: z.string().describe("The key itself. Shown this once: store it now; only a hash is kept.") })
  .meta({ id: "ApiKeyCreated" });

export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema) });
