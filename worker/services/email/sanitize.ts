import xssDefault from "xss";

// xss is CommonJS: its functions hang off the default export under workerd's ESM interop.
const xss = xssDefault as unknown as typeof import("xss");

/**
 * E-mail HTML made safe to show: an allow-list of formatting tags and attributes (no script, style, iframe, form,
 * event handlers or javascript: URLs), and no remote images — a tracking pixel would tell the sender who read it.
 */
const filter = new xss.FilterXSS({
  whiteList: Object.fromEntries(Object.entries(xss.getDefaultWhiteList()).filter(([tag]) => !["img", "audio", "video", "source", "track"].includes(tag))),
  stripIgnoreTag: true,
  stripIgnoreTagBody: ["script", "style", "title", "head", "iframe", "object", "noscript"],
  onTagAttr(tag: string, name: string, value: string) {
    if (tag === "a" && name === "href") return /^(https?:|mailto:)/i.test(value.trim()) ? `href="${value.replace(/"/g, "&quot;")}" rel="noopener noreferrer" target="_blank"` : "";
    return undefined;
  },
});

/** Longest HTML kept per message; the text body is always there too. */
export const MAX_HTML = 200_000;

export function sanitizeEmailHtml(html: string | undefined): string | null {
  if (!html) return null;
  const clean = filter.process(html).trim();
  return clean ? clean.slice(0, MAX_HTML) : null;
}
