import { describe, expect, inject, it } from "vitest";
import { callWith } from "../helpers/production";
import { createWorkspace } from "../helpers/worker";

let ipSeq = 0;
const freshIp = () => `198.51.100.${++ipSeq}`;
const login = (overrides: Record<string, string>, email: string, password: string, ip = freshIp()) =>
  callWith(overrides, "/api/auth/login", { method: "POST", body: { email, password }, headers: { "CF-Connecting-IP": ip } });

const expectLocked = (res: { status: number; headers: Headers; body: any }) => {
  expect(res.status).toBe(429);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(900);
  expect(res.body).toMatchObject({ status: 429, title: "Too Many Requests", retryAfter });
  expect(res.body.detail).toMatch(/Too many sign-in attempts; try again in/);
};

describe("sign-in lockout per account", () => {
  const limits = { LOGIN_MAX_ATTEMPTS: "3" };

  it("locks an account after N failures from any addresses, even for the right password, with Retry-After", async () => {
    const ws = await createWorkspace();
    for (let i = 0; i < 3; i++) expect((await login(limits, ws.user.email, "wrong password")).status).toBe(401);
    expectLocked(await login(limits, ws.user.email, ws.user.password));
    // Keyed by the address as typed, case-insensitively.
    expectLocked(await login(limits, ws.user.email.toUpperCase(), ws.user.password));
    // Other accounts are unaffected.
    expect((await login(limits, ws.admin.email, ws.admin.password)).status).toBe(200);
  });

  it("locks an unknown address the same way, so a lockout reveals nothing", async () => {
    const email = `ghost-${crypto.randomUUID()}@example.test`;
    for (let i = 0; i < 3; i++) expect((await login(limits, email, "whatever")).status).toBe(401);
    expectLocked(await login(limits, email, "whatever"));
  });

  it("ends the streak on a successful sign-in", async () => {
    const ws = await createWorkspace();
    for (let i = 0; i < 2; i++) expect((await login(limits, ws.user.email, "wrong password")).status).toBe(401);
    expect((await login(limits, ws.user.email, ws.user.password)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login(limits, ws.user.email, "wrong password")).status).toBe(401);
    expect((await login(limits, ws.user.email, ws.user.password)).status).toBe(200);
  });

  it("does not count malformed requests as failed sign-ins", async () => {
    const ws = await createWorkspace();
    for (let i = 0; i < 4; i++) {
      const res = await callWith(limits, "/api/auth/login", { method: "POST", body: { email: ws.user.email }, headers: { "CF-Connecting-IP": freshIp() } });
      expect(res.status).toBe(422);
    }
    expect((await login(limits, ws.user.email, ws.user.password)).status).toBe(200);
  });
});

describe("sign-in lockout per address", () => {
  it("locks an address after N failures across different accounts", async () => {
    const limits = { LOGIN_IP_MAX_ATTEMPTS: "3" };
    const ws = await createWorkspace();
    const ip = freshIp();
    for (const email of [ws.user.email, ws.admin.email, ws.viewer.email]) expect((await login(limits, email, "nope", ip)).status).toBe(401);
    expectLocked(await login(limits, ws.user.email, ws.user.password, ip));
    // The same account from another address still signs in (its own count is below LOGIN_MAX_ATTEMPTS).
    expect((await login(limits, ws.user.email, ws.user.password)).status).toBe(200);
  });
});

describe("password-reset attempts", () => {
  it("limits reset requests per account", async () => {
    const ws = await createWorkspace();
    const ask = () => callWith({ PASSWORD_RESET_MAX_REQUESTS: "2" }, "/api/auth/forgot-password", { method: "POST", body: { email: ws.user.email }, headers: { "CF-Connecting-IP": freshIp() } });
    expect((await ask()).status).toBe(202);
    expect((await ask()).status).toBe(202);
    const third = await ask();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(third.body.detail).toMatch(/password-reset attempts/);
  });

  it("limits token guessing per address", async () => {
    const ip = freshIp();
    const guess = () => callWith({ LOGIN_IP_MAX_ATTEMPTS: "2" }, "/api/auth/reset-password", { method: "POST", body: { token: crypto.randomUUID(), password: "a long enough passphrase" }, headers: { "CF-Connecting-IP": ip } });
    expect((await guess()).status).toBe(422);
    expect((await guess()).status).toBe(422);
    const third = await guess();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("lifts an account's sign-in lockout once its owner resets the password", async () => {
    const fake = inject("fakeProvidersUrl");
    const limits = { LOGIN_MAX_ATTEMPTS: "2", EMAIL_PROVIDER: "resend", EMAIL_API_KEY: "re_k", EMAIL_FROM: "crm@example.com", EMAIL_API_BASE_URL: fake, APP_URL: "https://crm.example.com" };
    const ws = await createWorkspace();
    for (let i = 0; i < 2; i++) await login(limits, ws.user.email, "wrong password");
    expectLocked(await login(limits, ws.user.email, ws.user.password));
    await callWith(limits, "/api/auth/forgot-password", { method: "POST", body: { email: ws.user.email }, headers: { "CF-Connecting-IP": freshIp() } });
    const mails = (await (await fetch(`${fake}/__mails?to=${encodeURIComponent(ws.user.email)}`)).json()) as { text: string }[];
    const token = decodeURIComponent(/token=([\w%-]+)/.exec(mails.at(-1)!.text)![1]!);
    const reset = await callWith(limits, "/api/auth/reset-password", { method: "POST", body: { token, password: "my recovered passphrase" }, headers: { "CF-Connecting-IP": freshIp() } });
    expect(reset.status).toBe(200);
    expect((await login(limits, ws.user.email, "my recovered passphrase")).status).toBe(200);
  });
});
