/**
 * Server-side request forgery guard for URLs the server will call on a user's behalf (webhooks). Refuses loopback,
 * private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved addresses and
 * names that only resolve inside a network. The WHATWG URL parser has already normalised IPv4 written in decimal,
 * octal or hex ("http://2130706433/" → 127.0.0.1) and IPv6, so the checks below see canonical forms.
 *
 * Workers has no DNS API. Names are checked in three ways: well-known names that resolve to loopback (localtest.me,
 * lvh.me …) and names that spell an address (127.0.0.1.nip.io, 10-0-0-1.sslip.io) are refused here; and, where a
 * DNS-over-HTTPS resolver is configured (WEBHOOK_DNS_RESOLVER; Cloudflare's in production), `resolvedHostProblem`
 * resolves the name and refuses it if any address is private. fetch() resolves again afterwards, so a name that
 * changes its answer in between (DNS rebinding) is not stopped by the check; on Cloudflare the platform stops it —
 * a deployed Worker's fetch() goes out to the Internet and cannot reach private networks. Under plain workerd
 * (self-hosted) nothing stops a rebinding name: run it behind an egress firewall.
 */
export function urlSafetyProblem(raw: string, opts: { allowPrivate: boolean }): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "must be an absolute URL such as https://example.com/hooks/crm";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return "must be an http:// or https:// URL";
  if (u.username || u.password) return "must not carry a user name or password; put a token in the path or query instead";
  if (opts.allowPrivate) return null;
  return isPrivateHost(u.hostname) ? "must point at a public address: loopback, private and link-local destinations are refused" : null;
}

export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (host.includes(":")) return isPrivateIpv6(host);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return isPrivateIpv4(v4.slice(1).map(Number) as [number, number, number, number]);
  if (!host.includes(".")) return true; // single-label names resolve only on a local network
  if (/(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(host)) return true;
  if (LOOPBACK_NAMES.test(host)) return true;
  const spelled = SPELLED_V4.exec(host);
  return spelled ? isPrivateIpv4(spelled.slice(1, 5).map(Number) as [number, number, number, number]) : false;
}

/** Public names known to resolve to 127.0.0.1 (or ::1) for any subdomain: local-development conveniences. */
const LOOPBACK_NAMES = /(^|\.)(localtest\.me|lvh\.me|vcap\.me|localho\.st|lacolhost\.com|fuf\.me|yoogle\.com|ulh\.us|smackaho\.st|127-0-0-1\.org\.uk|readme\.localhost\.direct|localhost\.direct)$/;
/** Wildcard DNS services that answer the address spelled in the name: 10.0.0.1.nip.io, 10-0-0-1.sslip.io. */
const SPELLED_V4 = /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})\.(?:nip\.io|sslip\.io|xip\.io|nip\.direct|traefik\.me|backname\.io)$/;

function isPrivateIpv4([a, b, c]: [number, number, number, number]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) || // documentation
    (a === 203 && b === 0 && c === 113) || // documentation
    a >= 224
  );
}

function isPrivateIpv6(host: string): boolean {
  const groups = expandIpv6(host);
  if (!groups) return true; // unparseable: refuse rather than guess
  const [g0] = groups as [number, ...number[]];
  // ::, ::1, IPv4-mapped and IPv4-compatible forms all start with 80 zero bits. ::ffff:a.b.c.d is as public as
  // a.b.c.d; the rest of that range is refused.
  if (groups.slice(0, 5).every((g) => g === 0)) return groups[5] === 0xffff ? isPrivateIpv4(embeddedV4(groups)) : true;
  if (g0 === 0x64 && groups[1] === 0xff9b) return groups[2] !== 0 || isPrivateIpv4(embeddedV4(groups)); // NAT64 (…:1::/48 is local use)
  // Tunnels that carry an IPv4 address a relay will deliver to: 6to4 (2002::/16, the address in bits 16–47) and
  // Teredo (2001:0::/32). Both are obsolete for real traffic; refused whole rather than decoded.
  if (g0 === 0x2002) return true;
  if (g0 === 0x2001 && groups[1] === 0) return true;
  if (g0 === 0x2001 && groups[1] === 0xdb8) return true; // documentation
  if (g0 === 0x100 && groups.slice(1, 4).every((g) => g === 0)) return true; // discard-only
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0 || (g0 & 0xff00) === 0xff00;
}

function embeddedV4(groups: number[]): [number, number, number, number] {
  return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff];
}

function expandIpv6(host: string): number[] | null {
  let h = host.split("%")[0]!;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    h = h.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = h.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array(fill).fill(0), ...tail];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

export const isPrivateAddress = (ip: string) => isPrivateHost(ip.includes(":") ? `[${ip}]` : ip);

interface DohAnswer {
  Status?: number;
  Answer?: { type: number; data: string }[];
}

/**
 * Resolves a URL's host (A and AAAA) over DNS-over-HTTPS (the JSON API of Cloudflare, Google and others) and says
 * why it must not be called, or null. Literal addresses need no lookup. Fails closed: a name that does not resolve,
 * or a resolver that does not answer, is refused (a delivery is then retried later).
 */
export async function resolvedHostProblem(raw: string, resolver: string, fetcher: typeof fetch = fetch): Promise<string | null> {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return null;
  const addresses: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    let answer: DohAnswer;
    try {
      const res = await fetcher(`${resolver}?name=${encodeURIComponent(host)}&type=${type}`, {
        headers: { Accept: "application/dns-json" },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) return "could not be resolved (the DNS resolver answered an error)";
      answer = (await res.json()) as DohAnswer;
    } catch {
      return "could not be resolved (the DNS resolver did not answer)";
    }
    if (answer.Status !== 0 && answer.Status !== 3) return "could not be resolved";
    for (const a of answer.Answer ?? []) if (a.type === 1 || a.type === 28) addresses.push(a.data);
  }
  if (addresses.length === 0) return "does not resolve to any address";
  const bad = addresses.find(isPrivateAddress);
  return bad ? `resolves to ${bad}, a loopback, private or reserved address` : null;
}
