/**
 * Secrets shown once (API keys, webhook signing secrets, temporary passwords, session tokens) must never be written
 * anywhere a later reader could find them — the idempotency table keeps answers for 24 hours. A field is a secret by
 * its name or by what its value looks like, so a route added later that returns one is covered without opting in.
 */
const SECRET_FIELD = /^(secret|token|password|apiKey)$|(Secret|Token|Password)$/;
const SECRET_VALUE = /^(bk_live_|whsec_)|^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

export const REDACTED_HEADER = "Idempotent-Redacted";

/**
 * `text` with every secret string value replaced by null, and whether anything was replaced. Text that is not JSON
 * is kept only when it holds no secret-looking value; otherwise it is dropped entirely.
 */
export function redactSecrets(text: string): { text: string; redacted: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return /bk_live_|whsec_|eyJ[\w-]*\.[\w-]+\.[\w-]+/.test(text) ? { text: "", redacted: true } : { text, redacted: false };
  }
  let redacted = false;
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === "string") {
      if ((key !== null && SECRET_FIELD.test(key)) || SECRET_VALUE.test(v)) {
        redacted = true;
        return null;
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, null));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    return v;
  };
  const out = walk(parsed, null);
  return redacted ? { text: JSON.stringify(out), redacted } : { text, redacted };
}
