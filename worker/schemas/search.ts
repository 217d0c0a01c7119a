import { z } from "zod";

/** Global search contracts. The SPA imports these; they import only zod. */

export const searchTypes = ["account", "contact", "lead", "opportunity"] as const;
export type SearchResultType = (typeof searchTypes)[number];

const plural: Record<string, SearchResultType> = { accounts: "account", contacts: "contact", leads: "lead", opportunities: "opportunity" };

export const searchQuerySchema = z.object({
  q: z
    .string({ error: "is required: the text to search for" })
    .trim()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters"),
  types: z
    .string()
    .optional()
    .describe("Comma-separated subset of account, contact, lead, opportunity (plurals accepted); all when omitted")
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const out = new Set<SearchResultType>();
      for (const raw of v.split(",")) {
        const t = raw.trim().toLowerCase();
        const type = (searchTypes as readonly string[]).includes(t) ? (t as SearchResultType) : plural[t];
        if (!type) {
          ctx.addIssue({ code: "custom", message: `unknown type "${raw.trim()}": use ${searchTypes.join(", ")}` });
          return z.NEVER;
        }
        out.add(type);
      }
      return [...out];
    }),
  limit: z.coerce.number().int("must be a whole number").min(1).max(20, "must be at most 20").default(20),
});

export const searchItemSchema = z.object({
  id: z.uuid(),
  type: z.enum(searchTypes),
  title: z.string(),
  subtitle: z.string().nullable(),
  /** 1 exact · 0.9 prefix · 0.75 word prefix · ≤ 0.6 typo-tolerant similarity (× 0.8 through a related company). */
  score: z.number(),
});
export type SearchItem = z.infer<typeof searchItemSchema>;

export const searchResponseSchema = z
  .object({
    /** The query as searched: trimmed, lower case, single spaces. */
    query: z.string(),
    /** One group per type that has results, the group holding the best result first; items best first. */
    groups: z.array(z.object({ type: z.enum(searchTypes), items: z.array(searchItemSchema) })),
    /** Number of items across all groups (at most `limit`, itself at most 20). */
    total: z.number().int(),
  })
  .meta({ id: "SearchResults" });
export type SearchResponse = z.infer<typeof searchResponseSchema>;
