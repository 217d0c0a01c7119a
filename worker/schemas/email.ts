// No zod here: services import this at module load, before @hono/zod-openapi has extended zod, and a zod schema
// built that early would lack `.openapi()` when the app registers it.

/**
 * The one canonical form of an e-mail address, used for storage, sign-in lookups and the per-account sign-in
 * counters alike, or null when the address does not normalise cleanly. JavaScript and Postgres lower-case some
 * characters differently ("İ" is "i̇" in one and "i" in the other), so an address whose case mapping is not one
 * character for one, or that changes under Unicode compatibility normalisation (full-width letters, the Kelvin
 * sign), or that holds control, format or space characters, is refused rather than guessed at.
 */
export function canonicalEmail(raw: string): string | null {
  const s = raw.trim().normalize("NFC");
  if (s === "" || s.normalize("NFKC") !== s || /[\p{C}\p{Z}\s]/u.test(s)) return null;
  for (const ch of s) if ([...ch.toLowerCase()].length !== 1) return null;
  const lower = s.toLowerCase();
  return lower.normalize("NFKC") === lower ? lower : null;
}

export const CANONICAL_EMAIL_MESSAGE = "must be an e-mail address without look-alike or special characters";
