import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { claimIdempotencyKey, type IdempotencyScope } from "../services/idempotency/claim";
import { completeIdempotencyKey, releaseIdempotencyKey } from "../services/idempotency/finish";
import { REDACTED_HEADER, redactSecrets } from "../lib/redact";
import { ConflictError, ValidationError } from "../lib/errors";

const MAX_KEY_LENGTH = 255;
/** Headers of the first answer worth replaying; request-specific ones (X-Request-Id) are the retry's own. */
const REPLAYED_HEADERS = ["content-type", "location", "etag", "cache-control", "content-disposition"];
/** 4xx answers that say "not now" rather than "not this": storing them would turn a retry into the same refusal. */
const TRANSIENT = new Set([408, 425, 429]);

/**
 * Stripe-style idempotent POSTs. A POST carrying `Idempotency-Key` (≤ 255 characters) runs once per workspace,
 * principal (person or API key) and key: a retry with the same method, path and body gets the first answer again,
 * with `Idempotent-Replayed: true`, and nothing is written twice. The same key on a different request is a 422; a
 * retry while the first is still running is a 409. Only final answers are kept — 2xx and 4xx, not 5xx or rate
 * limits — and for 24 hours. Runs after auth (it needs the workspace and principal); public POSTs are not covered.
 * A secret in the answer (an API key, a webhook secret, a temporary password, a token) is never stored: the stored
 * answer has it as null and a replay says so with `Idempotent-Redacted: true` — the retry learns what was created,
 * and the secret is rotated or reset through the resource itself.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "POST") return next();
  const key = c.req.header("Idempotency-Key");
  const auth = c.get("auth");
  if (key === undefined || !auth) return next();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ValidationError(
      `Idempotency-Key must be 1–${MAX_KEY_LENGTH} visible ASCII characters (a UUID is a good choice)`,
      [{ path: "Idempotency-Key", message: "invalid" }],
      400,
    );
  }
  const db = c.var.services.db.http;
  const scope: IdempotencyScope = {
    workspaceId: auth.workspaceId,
    principal: auth.via === "api_key" ? `api_key:${auth.apiKeyId}` : `user:${auth.userId}`,
    key,
  };
  const url = new URL(c.req.url);
  const claim = await claimIdempotencyKey({ db, scope, method: c.req.method, path: url.pathname + url.search, requestHash: await requestHash(c) });

  switch (claim.kind) {
    case "replay": {
      const headers = new Headers(claim.headers);
      headers.set("Idempotent-Replayed", "true");
      return c.newResponse(claim.status === 204 ? null : claim.body, claim.status as 200, Object.fromEntries(headers));
    }
    case "in_flight":
      throw new ConflictError("A request with this Idempotency-Key is still being processed; retry in a moment", { idempotencyKey: key });
    case "mismatch":
      throw new ValidationError(`This Idempotency-Key was already used for a request with a different ${claim.what}; use a new key for a new request`, [
        { path: "Idempotency-Key", message: `reused with a different ${claim.what}` },
      ]);
  }

  let stored = false;
  try {
    await next();
    const status = c.res.status;
    if ((status >= 200 && status < 300) || (status >= 400 && status < 500 && !TRANSIENT.has(status))) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const v = c.res.headers.get(name);
        if (v !== null) headers[name] = v;
      }
      const { text: body, redacted } = redactSecrets(await c.res.clone().text());
      if (redacted) headers[REDACTED_HEADER.toLowerCase()] = "true";
      await completeIdempotencyKey({ db, scope, createdAt: claim.createdAt, status, body, headers });
      stored = true;
    }
  } finally {
    if (!stored) {
      await releaseIdempotencyKey({ db, scope, createdAt: claim.createdAt }).catch((err) =>
        console.error(JSON.stringify({ level: "error", msg: "idempotency key release failed", requestId: c.var.requestId, error: String(err) })),
      );
    }
  }
});

/**
 * HMAC-SHA-256 of the body, keyed with the server's JWT_SECRET: a body may carry a password (POST /api/users), and a
 * plain hash of a known-shaped body would let whoever reads the table test guesses offline. (After a JWT_SECRET
 * rotation a retry of an earlier request no longer matches and is answered 422; retries come within minutes.)
 * Multipart bodies are hashed with their boundary blanked out: clients pick a fresh random boundary on every
 * attempt, and a retry of the same upload must still count as the same request.
 */
async function requestHash(c: Context<AppEnv>): Promise<string> {
  let bytes: Uint8Array<ArrayBuffer> = new Uint8Array(await c.req.arrayBuffer());
  const boundary = /^multipart\/[^;]+;.*\bboundary="?([^";]+)"?/i.exec(c.req.header("Content-Type") ?? "")?.[1];
  if (boundary) bytes = blankOut(bytes, new TextEncoder().encode(boundary));
  return keyedDigest(bytes, c.var.config.JWT_SECRET);
}

/** The stored request fingerprint: hex HMAC-SHA-256 of the bytes under a key derived from the server secret. */
export async function keyedDigest(bytes: Uint8Array, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(`idempotency:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const digest = await crypto.subtle.sign("HMAC", key, bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `bytes` without any occurrence of `needle` (native indexOf finds candidates, so a large upload stays cheap). */
function blankOut(bytes: Uint8Array, needle: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  let from = 0;
  for (let at = bytes.indexOf(needle[0]!, from); at !== -1; at = bytes.indexOf(needle[0]!, at + 1)) {
    if (at + needle.length > bytes.length) break;
    let j = 1;
    while (j < needle.length && bytes[at + j] === needle[j]) j++;
    if (j < needle.length) continue;
    out.set(bytes.subarray(from, at), n);
    n += at - from;
    from = at + needle.length;
    at = from - 1;
  }
  out.set(bytes.subarray(from), n);
  n += bytes.length - from;
  return out.subarray(0, n);
}
