import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { loadConfig, type Config } from "../config";
import { accentForeground, monogram } from "../lib/brand-colour";

/**
 * Brand assets generated from configuration (BRAND_NAME, BRAND_ACCENT_COLOR, BRAND_LOGO_URL), so a clone is
 * rebranded by its variables alone: the web app manifest and the favicon. Outside /api (browsers ask for these
 * paths themselves); wrangler.toml `run_worker_first` sends them here before the static-asset router.
 */

// Config changes need a deploy, so an hour in browser caches is safe; a day at the edge is not needed.
const CACHE = "public, max-age=3600";

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&apos;", '"': "&quot;" };
const escapeXml = (s: string) => s.replace(/[&<>'"]/g, (c) => XML_ESCAPES[c] ?? c);

export function monogramSvg(productName: string, accent: string): string {
  const letters = escapeXml(monogram(productName));
  const size = letters.length > 1 ? 26 : 36;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="${escapeXml(productName)}">` +
    `<rect width="64" height="64" rx="14" fill="${accent}"/>` +
    `<text x="32" y="32" dy=".35em" font-family="system-ui,-apple-system,'Segoe UI',Roboto,sans-serif" font-size="${size}" ` +
    `font-weight="650" text-anchor="middle" fill="${accentForeground(accent)}">${letters}</text></svg>`
  );
}

export function webManifest(config: Pick<Config, "BRAND_NAME" | "BRAND_ACCENT_COLOR" | "BRAND_LOGO_URL">) {
  const name = config.BRAND_NAME;
  const shortName = [...name].length <= 12 ? name : monogram(name);
  return {
    name,
    short_name: shortName,
    description: `${name}: pipeline, accounts, contacts and leads`,
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: config.BRAND_ACCENT_COLOR,
    icons: config.BRAND_LOGO_URL
      ? [{ src: config.BRAND_LOGO_URL, sizes: "any", purpose: "any" }]
      : [{ src: "/favicon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
  };
}

/** The validated config, or the defaults' branding when it is invalid (a favicon must never answer 503). */
function brandingConfig(env: object): Pick<Config, "BRAND_NAME" | "BRAND_ACCENT_COLOR" | "BRAND_LOGO_URL"> {
  const loaded = loadConfig(env);
  if (loaded.ok) return loaded.config;
  return { BRAND_NAME: "Bespoke CRM", BRAND_ACCENT_COLOR: "#4f46e5", BRAND_LOGO_URL: undefined };
}

export const brandingAssetRoutes = new Hono<AppEnv>()
  .get("/manifest.webmanifest", (c) => {
    const body = JSON.stringify(webManifest(brandingConfig(c.env)));
    return c.body(body, 200, { "Content-Type": "application/manifest+json; charset=utf-8", "Cache-Control": CACHE });
  })
  .get("/favicon.svg", (c) => {
    const config = brandingConfig(c.env);
    // A configured logo is the icon; the browser follows the redirect (any image type works as a favicon).
    if (config.BRAND_LOGO_URL) return c.redirect(config.BRAND_LOGO_URL, 302);
    return c.body(monogramSvg(config.BRAND_NAME, config.BRAND_ACCENT_COLOR), 200, {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": CACHE,
      "X-Content-Type-Options": "nosniff",
    });
  })
  // Browsers still ask for /favicon.ico on their own (bookmarks, old clients): point them at the SVG.
  .get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));

/** A path the SPA answers (no file extension, or .html): the asset router sends index.html for it. */
const isDocumentPath = (pathname: string) => !/\.[a-z0-9]+$/i.test(pathname) || /\.html?$/i.test(pathname);

/** A short, stable digest of the branding, so the HTML's validator changes when the configuration does. */
function brandTag(config: Pick<Config, "BRAND_NAME" | "BRAND_ACCENT_COLOR" | "BRAND_LOGO_URL">): string {
  let h = 0x811c9dc5;
  for (const ch of `${config.BRAND_NAME}\u0000${config.BRAND_ACCENT_COLOR}\u0000${config.BRAND_LOGO_URL ?? ""}`) {
    h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/**
 * Static files for everything outside /api (wrangler.toml `run_worker_first` sends them here). The SPA's
 * index.html (any client-side route, through the asset router's SPA fallback) leaves with the configured name,
 * theme colour and accent already in it, so the first paint and the tab title are the clone's before any
 * JavaScript runs. HTML is revalidated on every load (`no-cache` + an ETag of the file and the branding); other
 * files pass through untouched (hashed /assets/* never reach the Worker).
 */
export async function serveStatic(c: Context<AppEnv>): Promise<Response> {
  const request = c.req.raw;
  const url = new URL(request.url);
  if ((request.method !== "GET" && request.method !== "HEAD") || !isDocumentPath(url.pathname)) return c.env.ASSETS.fetch(request);
  // Without the browser's validators: the asset's own ETag no longer describes what we send.
  const headers = new Headers(request.headers);
  headers.delete("If-None-Match");
  headers.delete("If-Modified-Since");
  const asset = await c.env.ASSETS.fetch(new Request(url, { method: request.method, headers }));
  if (!asset.ok || !asset.headers.get("Content-Type")?.startsWith("text/html")) return asset;

  const config = brandingConfig(c.env);
  const etag = `W/"${(asset.headers.get("ETag") ?? "").replace(/^W\//, "").replace(/"/g, "")}-${brandTag(config)}"`;
  const out = new Headers(asset.headers);
  out.set("ETag", etag);
  out.set("Cache-Control", "no-cache");
  out.delete("Content-Length");
  if (request.headers.get("If-None-Match")?.split(/\s*,\s*/).includes(etag)) {
    return new Response(null, { status: 304, headers: out });
  }
  const accent = config.BRAND_ACCENT_COLOR;
  const rewritten = new HTMLRewriter()
    .on("html", {
      element: (el) => {
        el.setAttribute("style", `--accent: ${accent}; --accent-foreground: ${accentForeground(accent)}`);
      },
    })
    .on("title", {
      element: (el) => {
        el.setInnerContent(config.BRAND_NAME);
      },
    })
    .on('meta[name="theme-color"]', {
      element: (el) => {
        el.setAttribute("content", accent);
      },
    })
    .on("noscript", {
      element: (el) => {
        el.setInnerContent(`${config.BRAND_NAME} needs JavaScript enabled.`);
      },
    })
    .transform(new Response(asset.body, { status: asset.status, headers: out }));
  return rewritten;
}
