// No zod here: the update verb imports this at module load, before @hono/zod-openapi has extended zod.

/** The activities people log by hand; every other type (stage_change, ai_*, attachment_*, …) is written by the system. */
export const userActivityTypes = ["note", "call", "email", "meeting", "task"] as const;

/** Who reached out: the buyer (inbound) or us (outbound). Calls, meetings and e-mails. */
export const activityDirections = ["inbound", "outbound"] as const;
/** How a call went; only `connected` is a conversation. */
export const callOutcomes = ["connected", "left_voicemail", "no_answer", "busy", "wrong_number"] as const;
/** How a meeting went; only `held` is a conversation. */
export const meetingOutcomes = ["held", "no_show", "rescheduled", "cancelled"] as const;
export const activityOutcomes = [...callOutcomes, ...meetingOutcomes] as const;
export type ActivityOutcome = (typeof activityOutcomes)[number];
/** Outcomes after which the conversation did not take place. */
export const MISSED_OUTCOMES: readonly string[] = ["left_voicemail", "no_answer", "busy", "wrong_number", "no_show", "rescheduled", "cancelled"];
