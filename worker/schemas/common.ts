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
