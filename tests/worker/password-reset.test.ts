import { and, desc, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { auditLog, emailOutbox, passwordResetTokens, users } from "../../db/schema";
import { EmailSendError } from "../../worker/email";
import { postmarkProvider } from "../../worker/email/postmark";
import { resendProvider } from "../../worker/email/resend";
import { randomToken, sha256Hex } from "../../worker/lib/tokens";
import { callWith } from "../helpers/production";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

const fake = () => inject("fakeProvidersUrl");
const APP_URL = "https://crm.example.com";
const resend = () => ({
  EMAIL_PROVIDER: "resend",
  EMAIL_API_KEY: "re_test_123",
  EMAIL_FROM: "Bespoke CRM <crm@example.com>",
  EMAIL_API_BASE_URL: fake(),
  APP_URL,
});

interface Mail { provider: string; apiKey: string; from: string; to: string; subject: string; text: string; html: string | null }
const mailsTo = async (to: string): Promise<Mail[]> => (await (await fetch(`${fake()}/__mails?to=${encodeURIComponent(to)}`)).json()) as Mail[];
const tokenIn = (text: string) => /reset-password\?token=([\w%-]+)/.exec(text)?.[1];

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});
afterEach(() => vi.restoreAllMocks());

/** Asks for a reset through the real provider path and returns the token from the delivered mail. */
async function requestToken(email: string): Promise<string> {
  const res = await callWith(resend(), "/api/auth/forgot-password", { method: "POST", body: { email }, headers: { "CF-Connecting-IP": `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } });
  expect(res.status).toBe(202);
  const mails = await mailsTo(email);
  const token = tokenIn(mails.at(-1)?.text ?? "");
  expect(token).toBeTruthy();
  return decodeURIComponent(token!);
}

describe("forgot-password", () => {
  it("answers 202 with the same body for a known and an unknown address, and mails only the known one", async () => {
    const other = await createWorkspace();
    const known = await callWith(resend(), "/api/auth/forgot-password", { method: "POST", body: { email: other.user.email.toUpperCase() } });
    const unknown = await callWith(resend(), "/api/auth/forgot-password", { method: "POST", body: { email: `nobody-${crypto.randomUUID()}@example.test` } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.text).toBe(unknown.text);
    expect(known.body.status).toBe("accepted");

    const mails = await mailsTo(other.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ provider: "resend", apiKey: "re_test_123", from: "Bespoke CRM <crm@example.com>", to: other.user.email });
    expect(mails[0]!.subject).toMatch(/Reset your .+ password/);
    expect(mails[0]!.text).toContain(`${APP_URL}/reset-password?token=`);
    expect(mails[0]!.html).toContain(`${APP_URL}/reset-password?token=`);
    expect(mails[0]!.text).toMatch(/expires in 30 minutes/);
  });

  it("stores only a SHA-256 of the token, expiring in 30 minutes", async () => {
    const other = await createWorkspace();
    const token = await requestToken(other.admin.email);
    const rows = await testDb().http.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, other.admin.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(await sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const minutes = (rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(30, 0);
  });

  it("sends nothing for a deactivated user, still answering 202", async () => {
    const other = await createWorkspace();
    await testDb().http.update(users).set({ active: false }).where(eq(users.id, other.viewer.id));
    const res = await callWith(resend(), "/api/auth/forgot-password", { method: "POST", body: { email: other.viewer.email } });
    expect(res.status).toBe(202);
    expect(await mailsTo(other.viewer.email)).toEqual([]);
  });

  it("delivers through Postmark's API when configured", async () => {
    const other = await createWorkspace();
    const res = await callWith(
      { EMAIL_PROVIDER: "postmark", EMAIL_API_KEY: "pm-server-token", EMAIL_FROM: "crm@example.com", EMAIL_API_BASE_URL: fake(), APP_URL },
      "/api/auth/forgot-password",
      { method: "POST", body: { email: other.user.email } },
    );
    expect(res.status).toBe(202);
    const mails = await mailsTo(other.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ provider: "postmark", apiKey: "pm-server-token", from: "crm@example.com" });
    expect(tokenIn(mails[0]!.text)).toBeTruthy();
  });

  it("stores the mail in the development outbox and shows it on the dev page", async () => {
    const other = await createWorkspace();
    const res = await callWith({}, "/api/auth/forgot-password", { method: "POST", body: { email: other.user.email } });
    expect(res.status).toBe(202);
    const [mail] = await testDb().http.select().from(emailOutbox).where(eq(emailOutbox.to, other.user.email));
    expect(mail?.subject).toMatch(/Reset your/);
    // No APP_URL locally: the link points at the origin the request came to.
    expect(mail?.text).toContain("http://crm.test/reset-password?token=");
    const page = await callWith({}, "/api/dev/outbox");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain(other.user.email);
    expect(page.text).toMatch(/<a href="http:\/\/crm\.test\/reset-password\?token=/);
  });

  it("logs a provider's refusal with its own explanation, and the caller still sees 202", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
    const other = await createWorkspace();
    const res = await callWith({ ...resend(), EMAIL_API_KEY: "rejected-key" }, "/api/auth/forgot-password", { method: "POST", body: { email: other.user.email } });
    expect(res.status).toBe(202);
    expect(errors.join("\n")).toMatch(/password reset mail failed.*resend refused the message \(HTTP 403\): invalid_api_key: API key is invalid/);
  });

  it("rejects a malformed body (422) and unknown fields", async () => {
    const res = await api("/api/auth/forgot-password", { method: "POST", body: { email: "", extra: 1 } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toMatch(/email/);
    expect(JSON.stringify(res.body.errors)).toMatch(/extra/);
  });
});

describe("e-mail providers speak their APIs", () => {
  it("Resend: surfaces the error body of a refused message", async () => {
    const provider = resendProvider({ apiKey: "re_x", from: "not-used", baseUrl: fake() });
    await expect(provider.send({ to: "", subject: "s", text: "t" })).resolves.toBeTruthy();
    const noKey = resendProvider({ apiKey: "", from: "a@b.test", baseUrl: fake() });
    const err = await noKey.send({ to: "x@y.test", subject: "s", text: "t" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailSendError);
    expect((err as EmailSendError).status).toBe(401);
    expect((err as Error).message).toContain("Missing API key");
  });

  it("Postmark: surfaces ErrorCode and Message", async () => {
    const provider = postmarkProvider({ apiKey: "pm", from: "a@b.test", baseUrl: fake() });
    const err = await provider.send({ to: "", subject: "s", text: "t" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailSendError);
    expect((err as Error).message).toContain("error 300: Invalid 'To' address");
    await expect(provider.send({ to: "ok@example.test", subject: "s", text: "t" })).resolves.toMatchObject({ id: expect.any(String) });
  });
});

describe("reset-password", () => {
  const NEW_PASSWORD = "a brand new passphrase 42";

  it("sets the password once, ends every other session, signs in, and audits", async () => {
    const other = await createWorkspace();
    const token = await requestToken(other.user.email);
    const res = await api("/api/auth/reset-password", { method: "POST", body: { token, password: NEW_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: other.user.id, email: other.user.email });
    expect((await api("/api/auth/me", { token: res.body.token })).status).toBe(200);

    // The session from before the reset is over.
    expect((await api("/api/auth/me", { token: other.user.token })).status).toBe(401);
    // Old password out, new one in.
    expect((await api("/api/auth/login", { method: "POST", body: { email: other.user.email, password: other.user.password } })).status).toBe(401);
    expect((await api("/api/auth/login", { method: "POST", body: { email: other.user.email, password: NEW_PASSWORD } })).status).toBe(200);

    // Single use.
    const again = await api("/api/auth/reset-password", { method: "POST", body: { token, password: "another fine passphrase" } });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].path).toBe("token");

    const [entry] = await testDb().http.select().from(auditLog)
      .where(and(eq(auditLog.workspaceId, other.id), eq(auditLog.action, "user.password_reset")))
      .orderBy(desc(auditLog.at));
    expect(entry).toMatchObject({ actorId: other.user.id, entityType: "user", entityId: other.user.id });
    expect(JSON.stringify(entry!.changes)).not.toContain(NEW_PASSWORD);
  });

  it("spends every outstanding link of the user when one is used", async () => {
    const other = await createWorkspace();
    const first = await requestToken(other.user.email);
    const second = await requestToken(other.user.email);
    expect((await api("/api/auth/reset-password", { method: "POST", body: { token: second, password: NEW_PASSWORD } })).status).toBe(200);
    expect((await api("/api/auth/reset-password", { method: "POST", body: { token: first, password: NEW_PASSWORD } })).status).toBe(422);
  });

  it("refuses an expired token", async () => {
    const other = await createWorkspace();
    const token = randomToken();
    await testDb().http.insert(passwordResetTokens).values({ userId: other.user.id, tokenHash: await sha256Hex(token), expiresAt: new Date(Date.now() - 1000) });
    const res = await api("/api/auth/reset-password", { method: "POST", body: { token, password: NEW_PASSWORD } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/invalid, expired or already used/);
  });

  it("refuses a tampered token with the same answer", async () => {
    const other = await createWorkspace();
    const token = await requestToken(other.user.email);
    const tampered = (token[0] === "A" ? "B" : "A") + token.slice(1);
    const res = await api("/api/auth/reset-password", { method: "POST", body: { token: tampered, password: NEW_PASSWORD } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/invalid, expired or already used/);
    // The real token still works afterwards.
    expect((await api("/api/auth/reset-password", { method: "POST", body: { token, password: NEW_PASSWORD } })).status).toBe(200);
  });

  it("applies the password policy without spending the token", async () => {
    const other = await createWorkspace();
    const token = await requestToken(other.user.email);
    const short = await api("/api/auth/reset-password", { method: "POST", body: { token, password: "short" } });
    expect(short.status).toBe(422);
    expect(short.body.errors[0]).toMatchObject({ path: "password", message: expect.stringMatching(/at least 10 characters/) });
    const common = await api("/api/auth/reset-password", { method: "POST", body: { token, password: "password123" } });
    expect(common.status).toBe(422);
    expect(common.body.errors[0].message).toMatch(/too common/);
    const mine = await api("/api/auth/reset-password", { method: "POST", body: { token, password: other.user.email } });
    expect(mine.status).toBe(422);
    expect((await api("/api/auth/reset-password", { method: "POST", body: { token, password: NEW_PASSWORD } })).status).toBe(200);
  });
});
