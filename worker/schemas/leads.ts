import { z } from "zod";
import { activitySchema, recordContracts } from "./records";

/** Contract of lead conversion (`POST /api/leads/{id}/convert`). Imports only zod: the SPA uses it too. */

const { name: accountName, ...accountFields } = recordContracts("account").create.shape;

/**
 * Either `{ id }` of an existing account, or the fields of a new one. One object rather than a union so that a
 * mistake is reported on the field (`account.name`) instead of as "no union member matched".
 */
export const leadConvertAccountSchema = z
  .strictObject({
    id: z.uuid({ error: "must be a UUID" }).optional().describe("Link this existing account instead of creating one"),
    name: accountName.optional().describe("Name of the new account; defaults to the lead's company"),
    ...accountFields,
  })
  .superRefine((v, ctx) => {
    if (v.id === undefined) return;
    for (const [k, val] of Object.entries(v)) {
      if (k !== "id" && val !== undefined) ctx.addIssue({ code: "custom", path: [k], message: "give either the id of an existing account or the fields of a new one, not both" });
    }
  });

/** The contact's fields; anything left out comes from the lead (name, email, phone, title). */
export const leadConvertContactSchema = recordContracts("contact").update.omit({ accountId: true });

export const leadConvertOpportunitySchema = recordContracts("opportunity").create.pick({
  name: true,
  stageId: true,
  amount: true,
  currency: true,
  probability: true,
  closeDate: true,
  ownerId: true,
  nextStep: true,
  source: true,
  description: true,
  custom: true,
});

export const leadConvertTaskSchema = z.strictObject({
  subject: z.string().trim().min(1, "cannot be empty").max(500).optional().describe('Defaults to "Follow up with <contact name>"'),
  dueInDays: z.number().int("must be a whole number of days").min(0).max(3650).optional().describe("Days from now; default 3"),
});

export const leadConvertSchema = z.strictObject({
  account: leadConvertAccountSchema,
  contact: leadConvertContactSchema.optional().describe("Defaults to the lead's name, e-mail, phone and title"),
  opportunity: leadConvertOpportunitySchema.describe("Owner defaults to the lead's owner (or you); stage to the first open one"),
  task: leadConvertTaskSchema.optional().describe("The follow-up task always created for the opportunity's owner"),
});
export type LeadConvertInput = z.infer<typeof leadConvertSchema>;

export const leadConvertResultSchema = z
  .object({
    lead: recordContracts("lead").output,
    account: recordContracts("account").output,
    contact: recordContracts("contact").output,
    opportunity: recordContracts("opportunity").output,
    task: activitySchema,
  })
  .meta({ id: "LeadConversion" });
export type LeadConversion = z.infer<typeof leadConvertResultSchema>;
