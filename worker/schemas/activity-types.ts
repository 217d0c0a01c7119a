// No zod here: the update verb imports this at module load, before @hono/zod-openapi has extended zod.

/** The activities people log by hand; every other type (stage_change, ai_*, attachment_*, …) is written by the system. */
export const userActivityTypes = ["note", "call", "email", "meeting", "task"] as const;
