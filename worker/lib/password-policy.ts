import { ValidationError } from "./errors";

/**
 * One password policy for every place a password is chosen (admin creation, change-password, reset by e-mail).
 * Length is what matters most (NIST SP 800-63B): at least 10 characters, at most 256 (the KDF hashes whatever it is
 * given, so an unbounded input is a cheap way to burn CPU), and none of the passwords attackers try first.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The most common passwords of at least 10 characters in public breach corpora (shorter ones fail the length rule
 * anyway), plus the product's own names. Compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  "1234567890", "0123456789", "0987654321", "1234554321", "1122334455", "1111111111", "0000000000", "2222222222",
  "9999999999", "1q2w3e4r5t", "1qaz2wsx3edc", "q1w2e3r4t5", "qwertyuiop", "qwertyuiop123", "qwerty1234",
  "qwerty12345", "qwerty123456", "asdfghjkl1", "asdfghjkl123", "zxcvbnm123", "1qazxsw23edc", "zaq12wsxcde3",
  "password12", "password123", "password1234", "password12345", "password123456", "password!1", "password!123",
  "passw0rd123", "p@ssw0rd123", "p@ssword123", "passwordpassword", "mypassword", "mypassword1", "mypassword123",
  "iloveyou123", "iloveyou12", "abc1234567", "abcd123456", "abcdefghij", "abcdefg123", "a1b2c3d4e5",
  "aaaaaaaaaa", "welcome123", "welcome1234", "welcome2024", "welcome2025", "welcome2026", "changeme123",
  "changeme1234", "letmein123", "letmein1234", "administrator", "administrator1", "admin12345", "admin123456",
  "admin1234567", "adminadmin", "adminadmin1", "rootpassword", "superman123", "batman1234", "football123",
  "baseball123", "basketball", "basketball1", "sunshine123", "princess123", "starwars123", "dragon1234",
  "monkey12345", "michael123", "jennifer123", "trustno1234", "computer123", "internet123", "whatever123",
  "secret1234", "secretpassword", "default123", "default1234", "test123456", "testtest123", "testpassword",
  "summer2024", "summer2025", "summer2026", "winter2024", "winter2025", "winter2026", "spring2025", "autumn2025",
  "january2025", "december2025", "company123", "company2025", "qazwsxedcrfv", "1q2w3e4r5t6y", "zxcvbnm1234",
  "bespokecrm", "bespoke-crm", "bespoke123", "bespoke-demo", "bespokedemo", "crmpassword", "salesforce1",
  "salesforce123",
]);

/** Why `password` is unacceptable, or null when it passes. `identity` values (e-mail, name) must not be the password. */
export function passwordProblem(password: string, identity: { email?: string | null; name?: string | null } = {}): string | null {
  // Code points, not UTF-16 units: an emoji counts as one character, as the user sees it.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || new Set(lower).size === 1) return "is too common; choose something less guessable";
  const email = identity.email?.trim().toLowerCase();
  if (email && (lower === email || lower === email.split("@")[0])) return "must not be your e-mail address";
  if (identity.name && lower === identity.name.trim().toLowerCase()) return "must not be your name";
  return null;
}

/** Throws a 422 naming `path` when the password breaks the policy. */
export function assertPasswordPolicy(password: string, path: string, identity?: { email?: string | null; name?: string | null }): void {
  const problem = passwordProblem(password, identity);
  if (problem) throw new ValidationError(`The password ${problem}`, [{ path, message: problem }]);
}

// No look-alike characters (0/O, 1/l/I), so a temporary password read aloud or copied from a screen survives.
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A random temporary password (4 groups of 4, ≈ 92 bits) that passes the policy. Rejection sampling keeps every
 * character uniformly likely.
 */
export function generateTemporaryPassword(): string {
  const out: string[] = [];
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < 16) {
    for (const b of crypto.getRandomValues(new Uint8Array(32))) {
      if (b < limit && out.length < 16) out.push(ALPHABET[b % ALPHABET.length]!);
    }
  }
  return [0, 4, 8, 12].map((i) => out.slice(i, i + 4).join("")).join("-");
}
