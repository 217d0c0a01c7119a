import { z } from "zod";

/** Reason codes offered on a stage change, per kind of the target stage. The SPA imports these; they import only zod. */

export const reasonKinds = ["open", "won", "lost"] as const;
export type ReasonKind = (typeof reasonKinds)[number];

export const reasonCodeSchema = z.object({ value: z.string(), label: z.string() }).meta({ id: "ReasonCode" });
export const reasonCodesSchema = z
  .object({ open: z.array(reasonCodeSchema), won: z.array(reasonCodeSchema), lost: z.array(reasonCodeSchema) })
  .meta({ id: "ReasonCodes" });
export type ReasonCodes = z.infer<typeof reasonCodesSchema>;

const codeInput = z.strictObject({
  value: z
    .string()
    .trim()
    .min(1, "is required")
    .max(100, "must be at most 100 characters")
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lower-case letters, digits, _ or -"),
  label: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
});
const codeList = z.array(codeInput).max(50, "at most 50 codes per kind").optional();

export const reasonCodesPutSchema = z.strictObject({
  open: codeList.describe("Moving to an open stage; omitted: unchanged"),
  won: codeList.describe("Moving to a won stage; omitted: unchanged"),
  lost: codeList.describe("Moving to a lost stage; omitted: unchanged"),
});
export type ReasonCodesPut = z.infer<typeof reasonCodesPutSchema>;
