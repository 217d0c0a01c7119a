import type { z } from "zod";
import { ValidationError, zodToFieldErrors } from "../lib/errors";

/** Parses tool arguments with a REST contract; a failure is the 422 the REST route answers, naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError("The arguments are invalid", zodToFieldErrors(parsed.error));
  return parsed.data;
}
