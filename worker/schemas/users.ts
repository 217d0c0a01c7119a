import { z } from "zod";
import { roleSchema, userSchema } from "./common";
import { CANONICAL_EMAIL_MESSAGE, canonicalEmail } from "./email";

/** Users & roles administration, change-password. The SPA imports these; they import only zod. */

const email = z
  .string()
  .max(320, "must be at most 320 characters")
  .transform((s, ctx) => canonicalEmail(s) ?? (ctx.addIssue({ code: "custom", message: CANONICAL_EMAIL_MESSAGE }), z.NEVER))
  .pipe(z.email({ error: "must be an e-mail address" }));
const name = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");
// The policy (length, common passwords) is checked by the service so every password path shares one rule set;
// the schema only bounds the size of what reaches it.
const password = z.string().max(1024, "is too long");

export const userCreateSchema = z.strictObject({
  email,
  name,
  role: roleSchema.default("USER"),
  password: password.optional().describe("Omit to have a temporary password generated; the user must change it at first sign-in"),
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z.strictObject({
  name: name.optional(),
  role: roleSchema.optional(),
});
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const userListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  role: roleSchema.optional(),
  active: z.enum(["true", "false"]).optional(),
  q: z.string().trim().max(200).optional().describe("Part of the name or e-mail"),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export const userPageSchema = z.object({ data: z.array(userSchema), nextCursor: z.string().nullable() });

/** A user plus, once, the generated temporary password (null when the admin chose the password). */
export const userWithPasswordSchema = z.object({
  user: userSchema,
  temporaryPassword: z.string().nullable().describe("Shown once: it is stored only as a hash"),
});

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1, "is required").max(1024, "is too long"),
  newPassword: password,
});

export const changePasswordResultSchema = z.object({ token: z.string(), expiresAt: z.string(), user: userSchema });
