/*
 * Per-deployment branding (product name, accent colour, logo) from `GET /api/branding`, fetched once at start.
 * Everything visual reads the CSS variables set here, so a clone is rebranded without a rebuild.
 */
import { createContext, useContext, useEffect, type ReactNode } from "react";
import { useMatches } from "react-router";
import { getBranding } from "./api";
import type { Branding } from "./api-types";
import { accentForeground } from "../../worker/lib/brand-colour";

export const DEFAULT_BRANDING: Branding = {
  productName: "Bespoke CRM",
  accentColor: "#4f46e5",
  logoUrl: null,
};

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/** Fetches branding, never failing: any error or a slow server (> timeoutMs) yields the defaults. */
export async function loadBranding(timeoutMs = 2500): Promise<Branding> {
  try {
    const b = await getBranding({ signal: AbortSignal.timeout(timeoutMs) });
    return {
      productName: b.productName?.trim() || DEFAULT_BRANDING.productName,
      accentColor: HEX_COLOUR.test(b.accentColor ?? "") ? b.accentColor : DEFAULT_BRANDING.accentColor,
      logoUrl: b.logoUrl || null,
    };
  } catch {
    return DEFAULT_BRANDING;
  }
}

/**
 * Writes branding into the document: CSS variables and title. The favicon and manifest come from the Worker
 * (/favicon.svg, /manifest.webmanifest), generated from the same configuration.
 */
export function applyBranding(branding: Branding): void {
  const root = document.documentElement.style;
  root.setProperty("--accent", branding.accentColor);
  root.setProperty("--accent-foreground", accentForeground(branding.accentColor));
  document.title = branding.productName;
}

const BrandingContext = createContext<Branding>(DEFAULT_BRANDING);

export function BrandingProvider({ value, children }: { value: Branding; children: ReactNode }) {
  return <BrandingContext value={value}>{children}</BrandingContext>;
}

export function useBranding(): Branding {
  return useContext(BrandingContext);
}

/** Route `handle` fields the shell understands. */
export interface RouteHandle {
  /** Page title, shown in the tab as "Title · Product". */
  title?: string;
}

/** Keeps `document.title` in step with the deepest matched route that declares `handle.title`. */
export function useRouteDocumentTitle(): string | undefined {
  const { productName } = useBranding();
  const matches = useMatches();
  const title = matches
    .map((m) => (m.handle as RouteHandle | undefined)?.title)
    .filter(Boolean)
    .at(-1);
  useEffect(() => {
    document.title = title ? `${title} · ${productName}` : productName;
  }, [title, productName]);
  return title;
}
