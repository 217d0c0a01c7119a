import { z } from "zod";
import { userSchema } from "./common";
import { CANONICAL_EMAIL_MESSAGE, canonicalEmail } from "./email";

export const loginBodySchema = z.strictObject({
  email: z.string().trim().min(1, "is required").max(320).refine((s) => canonicalEmail(s) !== null, CANONICAL_EMAIL_MESSAGE),
  password: z.string().min(1, "is required").max(1024),
});

/**
 * A session's tokens: `token` is the short-lived access token (Bearer); `expiresAt` when it stops working. The refresh
 * token is never in a body: it is set as an HttpOnly cookie scoped to POST /api/auth/refresh.
 */
export const loginResultSchema = z.object({
  token: z.string(),
  expiresAt: z.string().meta({ description: "When the access token expires (ISO 8601); refresh before or on a 401" }),
  user: userSchema,
});
export const signOutResultSchema = z.object({ revoked: z.number().int().meta({ description: "How many sessions ended" }) });
export const meSchema = z.object({ user: userSchema });

export const brandingSchema = z.object({
  productName: z.string(),
  accentColor: z.string(),
  logoUrl: z.string().nullable(),
});

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded", "not_ready"]),
  db: z.enum(["ok", "down", "unknown"]),
  problems: z.array(z.string()).optional(),
});
