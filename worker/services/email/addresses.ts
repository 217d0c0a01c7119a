import { addressParser } from "postal-mime";
import type { Address } from "postal-mime";

/** Lower-cased bare addresses of a parsed address list (groups flattened). */
export function addressesOf(list: Address[] | Address | undefined): { address: string; name: string }[] {
  const out: { address: string; name: string }[] = [];
  for (const a of Array.isArray(list) ? list : list ? [list] : []) {
    if (a.group) for (const m of a.group) m.address && out.push({ address: m.address.toLowerCase(), name: m.name });
    else if (a.address) out.push({ address: a.address.toLowerCase(), name: a.name });
  }
  return out;
}

/** An envelope address or a header value (`Ann <ann@x.com>`) → `ann@x.com`. */
export function bareAddress(value: string): string | null {
  const [first] = addressesOf(addressParser(value) as Address[]);
  return first?.address ?? null;
}

/** `crm+<secret>@domain` (or `<secret>@domain`) → the secret, when the domain is the configured inbound one. */
export function inboundToken(address: string, domain: string | undefined): string | null {
  if (!domain) return null;
  const at = address.lastIndexOf("@");
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const local = address.slice(0, at).toLowerCase();
  return local.includes("+") ? local.slice(local.lastIndexOf("+") + 1) : local;
}

export const inboundAddress = (token: string, domain: string) => `crm+${token}@${domain}`;

/** Message-IDs without angle brackets, as stored: `<abc@x>` → `abc@x`. */
export const messageIdsIn = (header: string | undefined) => [...(header ?? "").matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!.slice(0, 500));
