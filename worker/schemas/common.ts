import { z } from "zod";

export const roles = ["ADMIN", "USER", "VIEWER"] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const uuidSchema = z.uuid({ error: "must be a UUID" });
export const idParam = z.object({ id: uuidSchema });

/** ISO 4217 code, upper case. */
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter ISO 4217 currency code")
  .transform((s) => s.toUpperCase());

/** Money is integer minor units (cents), as Stripe does. */
export const minorAmountSchema = z.number().int("must be an integer amount in minor units (e.g. cents)").min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The one canonical form of an e-mail address, used for storage, sign-in lookups and the per-account sign-in
 * counters alike, or null when the address does not normalise cleanly. JavaScript and Postgres lower-case some
 * characters differently ("İ" is "i̇" in one and "i" in the other), so an address whose case mapping is not one
 * character for one, or that changes under Unicode compatibility normalisation (full-width letters, the Kelvin
 * sign), or that holds control, format or space characters, is refused rather than guessed at.
 */
export function canonicalEmail(raw: string): string | null {
  const s = raw.trim().normalize("NFC");
  if (s === "" || s.normalize("NFKC") !== s || /[\p{C}\p{Z}\s]/u.test(s)) return null;
  for (const ch of s) if ([...ch.toLowerCase()].length !== 1) return null;
  const lower = s.toLowerCase();
  return lower.normalize("NFKC") === lower ? lower : null;
}

export const CANONICAL_EMAIL_MESSAGE = "must be an e-mail address without look-alike or special characters";

export const dateOnlySchema = z.iso.date({ error: "must be a date YYYY-MM-DD" });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  requestId: z.string().nullable(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
});

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  workspaceId: z.uuid(),
  workspaceName: z.string().optional(),
  lastLoginAt: z.string().nullable().optional(),
  createdAt: z.string().optional(),
});
export type User = z.infer<typeof userSchema>;
