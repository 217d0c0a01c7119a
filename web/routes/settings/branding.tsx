import { BrandMark } from "../../components/BrandMark";
import { CopyButton } from "../../components/SecretReveal";
import { Button } from "../../components/ui/Button";
import { accentForeground } from "../../../worker/lib/brand-colour";
import { useBranding } from "../../lib/branding";

/** Settings → Branding: what this deployment is configured with, previewed, and how a clone changes it. */
export default function BrandingSettings() {
  const branding = useBranding();
  const { productName, accentColor, logoUrl } = branding;
  const toml = `[vars]\nBRAND_NAME = "${productName}"\nBRAND_ACCENT_COLOR = "${accentColor}"\nBRAND_LOGO_URL = "${logoUrl ?? ""}"`;
  const rows = [
    { name: "BRAND_NAME", value: productName, meaning: "Product name in the header, the browser tab, the manifest and the API docs." },
    { name: "BRAND_ACCENT_COLOR", value: accentColor, meaning: "Accent colour (#rrggbb) of buttons, links, focus rings and the favicon." },
    { name: "BRAND_LOGO_URL", value: logoUrl ?? "", meaning: "Logo image URL (square works best). Empty: a monogram of the name on the accent colour." },
  ];

  return (
    <div className="space-y-6">
      <div className="grid gap-4 lg:grid-cols-2">
        <figure className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <div className="flex h-14 items-center gap-2.5 bg-slate-900 px-4">
            <BrandMark productName={productName} logoUrl={logoUrl} />
            <span className="text-[0.9375rem] font-semibold tracking-tight text-white">{productName}</span>
          </div>
          <div className="space-y-4 p-4">
            <div className="flex flex-wrap items-center gap-3">
              <Button variant="primary" tabIndex={-1}>
                Primary action
              </Button>
              <span className="text-sm font-medium text-accent-hover">Accent text</span>
              <span className="inline-flex items-center gap-2 text-sm text-slate-600">
                <span aria-hidden="true" className="inline-block size-5 rounded ring-1 ring-slate-900/10" style={{ background: accentColor }} />
                {accentColor} with {accentForeground(accentColor) === "#ffffff" ? "white" : "dark"} labels
              </span>
            </div>
            <div className="flex items-center gap-4">
              <img src="/favicon.svg" alt="Favicon at 32 pixels" width={32} height={32} className="rounded" />
              <img src="/favicon.svg" alt="Favicon at 64 pixels" width={64} height={64} className="rounded-lg" />
              <p className="text-sm text-slate-600">
                The favicon and the <a className="font-medium text-accent-hover underline underline-offset-2" href="/manifest.webmanifest" target="_blank" rel="noreferrer">web app manifest</a>{" "}
                (used when the app is installed on a phone or desktop) are generated from the same values.
              </p>
            </div>
          </div>
          <figcaption className="border-t border-slate-100 bg-slate-50 px-4 py-2 text-xs text-slate-500">Live preview of this deployment</figcaption>
        </figure>

        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 className="text-sm font-semibold text-slate-900">Rebrand a deployment</h3>
          <ol className="mt-2 list-decimal space-y-1.5 pl-5 text-sm text-slate-600">
            <li>
              Set the values in <code className="rounded bg-slate-100 px-1 font-mono text-xs">wrangler.toml</code> under{" "}
              <code className="rounded bg-slate-100 px-1 font-mono text-xs">[vars]</code> (or in the Cloudflare dashboard: Worker → Settings → Variables).
            </li>
            <li>
              Deploy with <code className="rounded bg-slate-100 px-1 font-mono text-xs">npm run deploy</code>. No code change and no SPA rebuild: the app reads them when it starts.
            </li>
            <li>Invalid values (a colour that is not #rrggbb) are reported at start-up and by <code className="rounded bg-slate-100 px-1 font-mono text-xs">/api/health</code>.</li>
          </ol>
          <div className="mt-3 flex items-start gap-2">
            <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{toml}</pre>
            <CopyButton value={toml} />
          </div>
        </div>
      </div>

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Branding variables and their current values</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2.5">Variable</th>
              <th scope="col" className="px-4 py-2.5">Current value</th>
              <th scope="col" className="px-4 py-2.5">Meaning</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row" className="px-4 py-3 font-mono text-xs font-medium text-slate-900">
                  {r.name}
                </th>
                <td className="px-4 py-3 font-mono text-xs break-all text-slate-700">{r.value || <span className="font-sans text-slate-500">not set</span>}</td>
                <td className="px-4 py-3 text-slate-600">{r.meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
