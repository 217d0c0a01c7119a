import type { z } from "zod";
import {
  dealBriefOutputSchema, emailDraftOutputSchema, nextActionsOutputSchema, summaryOutputSchema,
  type DealBriefOutput, type EmailDraftOutput, type EmailTone, type NextActionsOutput, type SummaryOutput,
} from "../schemas/ai";

/** The four things the AI layer produces; each is stored as an activity of `activityType`. */
export type Feature = "summary" | "next_actions" | "email_draft" | "deal_brief";

export interface FeatureArgs {
  summary: Record<string, never>;
  next_actions: Record<string, never>;
  email_draft: { intent: string; tone: EmailTone; toContactId: string | null; senderName: string | null };
  deal_brief: Record<string, never>;
}

export interface FeatureOutputs {
  summary: SummaryOutput;
  next_actions: NextActionsOutput;
  email_draft: EmailDraftOutput;
  deal_brief: DealBriefOutput;
}

export const features: { [F in Feature]: { schema: z.ZodType<FeatureOutputs[F]>; activityType: string; schemaName: string } } = {
  summary: { schema: summaryOutputSchema, activityType: "ai_summary", schemaName: "record_summary" },
  next_actions: { schema: nextActionsOutputSchema, activityType: "ai_next_actions", schemaName: "next_best_actions" },
  email_draft: { schema: emailDraftOutputSchema, activityType: "ai_email_draft", schemaName: "email_draft" },
  deal_brief: { schema: dealBriefOutputSchema, activityType: "ai_deal_brief", schemaName: "deal_brief" },
};
