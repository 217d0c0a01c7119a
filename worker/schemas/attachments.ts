import { z } from "zod";

/** Attachment contracts. The SPA imports these; they import only zod. */

export const attachmentParentTypes = ["account", "contact", "lead", "opportunity"] as const;

export const attachmentSchema = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    /** The type the file was checked to be (declared type confirmed by its first bytes). */
    contentType: z.string(),
    size: z.number().int().describe("Bytes"),
    parent: z.object({ type: z.enum(attachmentParentTypes), id: z.uuid() }),
    uploadedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.string(),
    /** GET it with the same bearer token; the response is the file itself (Content-Disposition: attachment). */
    downloadUrl: z.string(),
  })
  .meta({ id: "Attachment" });
export type Attachment = z.infer<typeof attachmentSchema>;

export const attachmentListSchema = z.object({ data: z.array(attachmentSchema) });
