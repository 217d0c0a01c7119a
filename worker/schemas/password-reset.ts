import { z } from "zod";

export const forgotPasswordBodySchema = z.strictObject({
  email: z.string().trim().min(1, "is required").max(320, "must be at most 320 characters"),
});

/** The same body whether or not the address has an account. */
export const forgotPasswordResultSchema = z.object({
  status: z.literal("accepted"),
  detail: z.string(),
});

export const resetPasswordBodySchema = z.strictObject({
  token: z.string().trim().min(1, "is required").max(200, "is not a reset token"),
  // The policy (length, common passwords) is checked by the service, which knows the user's e-mail and name.
  password: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
});
