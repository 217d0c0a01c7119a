import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brandingAssetRoutes } from "../../worker/routes/branding-assets";
import { api } from "../helpers/worker";

/** The brand assets with other [vars], as a clone would configure them (env is the Worker's own, overridden). */
const withVars = (vars: Record<string, string>, path: string) =>
  brandingAssetRoutes.request(path, {}, { ...env, ...vars } as unknown as Env);

describe("GET /manifest.webmanifest", () => {
  it("describes the app with the configured name and accent colour", async () => {
    const res = await api("/manifest.webmanifest");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/manifest+json");
    expect(res.body).toMatchObject({
      name: "Bespoke CRM",
      short_name: "Bespoke CRM",
      start_url: "/",
      display: "standalone",
      theme_color: "#4f46e5",
      icons: [{ src: "/favicon.svg", type: "image/svg+xml" }],
    });
  });

  it("follows a rebrand: name, colour and logo come from BRAND_* alone", async () => {
    const res = await withVars(
      { BRAND_NAME: "Acme Revenue Cloud", BRAND_ACCENT_COLOR: "#0f766e", BRAND_LOGO_URL: "https://cdn.acme.example/logo.png" },
      "/manifest.webmanifest",
    );
    const manifest = (await res.json()) as { name: string; short_name: string; theme_color: string; icons: { src: string }[] };
    expect(manifest.name).toBe("Acme Revenue Cloud");
    expect(manifest.short_name).toBe("AR"); // too long for a home-screen label: the monogram
    expect(manifest.theme_color).toBe("#0f766e");
    expect(manifest.icons.map((i) => i.src)).toEqual(["https://cdn.acme.example/logo.png"]);
  });
});

describe("GET /favicon.svg", () => {
  it("is a monogram of the product name on the accent colour", async () => {
    const res = await api("/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    expect(res.body).toContain('fill="#4f46e5"');
    expect(res.body).toMatch(/>BC<\/text>/);
  });

  it("picks a dark letter on a light accent and escapes the name", async () => {
    const res = await withVars({ BRAND_NAME: "<Zed> & Co", BRAND_ACCENT_COLOR: "#fde047" }, "/favicon.svg");
    const svg = await res.text();
    expect(svg).toContain('fill="#fde047"');
    expect(svg).toContain('fill="#0f172a"');
    expect(svg).toContain("&lt;&amp;</text>");
    expect(svg).not.toContain("<Zed>");
  });

  it("redirects to the configured logo, and /favicon.ico to the SVG", async () => {
    const logo = await withVars({ BRAND_LOGO_URL: "https://cdn.acme.example/logo.png" }, "/favicon.svg");
    expect(logo.status).toBe(302);
    expect(logo.headers.get("location")).toBe("https://cdn.acme.example/logo.png");
    const ico = await withVars({}, "/favicon.ico");
    expect(ico.status).toBe(301);
    expect(ico.headers.get("location")).toBe("/favicon.svg");
  });

  it("still answers with the default brand when the configuration is invalid", async () => {
    const res = await withVars({ BRAND_ACCENT_COLOR: "teal", JWT_SECRET: "" }, "/favicon.svg");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('fill="#4f46e5"');
  });
});
