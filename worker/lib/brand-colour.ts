/*
 * Branding rules shared by the Worker (favicon, manifest) and the SPA (CSS variables, header mark): pure functions,
 * no imports, so both bundles take them as they are.
 */

/** The slate-900 used for dark labels and the dark header. */
export const DARK_FOREGROUND = "#0f172a";

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Text colour for labels on an accent background: whichever of white / slate-900 contrasts more (WCAG). */
export function accentForeground(accent: string): string {
  const l = luminance(accent);
  return 1.05 / (l + 0.05) >= (l + 0.05) / (luminance(DARK_FOREGROUND) + 0.05) ? "#ffffff" : DARK_FOREGROUND;
}

/** Up to two initials of the product name ("Acme Sales" → "AS"), for the monogram logo and favicon. */
export function monogram(productName: string): string {
  const letters = productName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]?.toUpperCase() ?? "")
    .join("");
  return letters || "B";
}
