import { errors, jwtVerify, SignJWT } from "jose";
import type { Role } from "../schemas/common";
import { isUuid } from "./uuid";

export interface TokenClaims {
  sub: string;
  ws: string;
  role: Role;
  /** The user's token version when signed; a bump (deactivation, password change) revokes older tokens. */
  tv: number;
  /** The session (sign-in on one device) this access token belongs to: revoking the session ends the token at once. */
  sid: string;
}

const ISSUER = "bespoke-crm";
/** Clock difference tolerated between the isolate that signed a token and the one verifying it. */
const CLOCK_SKEW_SECONDS = 60;
const key = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(claims: TokenClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ ws: claims.ws, role: claims.role, tv: claims.tv, sid: claims.sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/**
 * Verifies with the current secret, then the previous one (rotation window). Returns null for any invalid,
 * expired or tampered token: the caller answers 401 without saying which.
 */
export async function verifyToken(token: string, secret: string, previous?: string): Promise<TokenClaims | null> {
  for (const s of previous ? [secret, previous] : [secret]) {
    try {
      const { payload } = await jwtVerify(token, key(s), { issuer: ISSUER, algorithms: ["HS256"] });
      // Tokens from before sessions existed carry no sid: they cannot be signed out, so they are refused.
      if (typeof payload.sub !== "string" || typeof payload.ws !== "string" || typeof payload.tv !== "number" || typeof payload.sid !== "string") return null;
      // Ids that are not UUIDs would reach Postgres as a malformed cast (400); such a token is simply invalid (401).
      if (!isUuid(payload.sub) || !isUuid(payload.ws) || !isUuid(payload.sid)) return null;
      // We never sign tokens for the future: one issued "later" was minted with a stolen key or a broken clock.
      if (typeof payload.iat !== "number" || payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return null;
      return { sub: payload.sub, ws: payload.ws, role: payload.role as Role, tv: payload.tv, sid: payload.sid };
    } catch (err) {
      // Only a signature mismatch may succeed with the previous key; expiry or malformation is final.
      if (!(err instanceof errors.JWSSignatureVerificationFailed)) return null;
    }
  }
  return null;
}
