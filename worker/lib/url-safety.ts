/**
 * Server-side request forgery guard for URLs the server will call on a user's behalf (webhooks). Refuses loopback,
 * private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved addresses and
 * names that only resolve inside a network. The WHATWG URL parser has already normalised IPv4 written in decimal,
 * octal or hex ("http://2130706433/" → 127.0.0.1) and IPv6, so the checks below see canonical forms.
 *
 * Names are not resolved (Workers has no DNS API); a public name pointing at a private address is stopped by the
 * platform instead: a deployed Worker's fetch() goes out to the Internet and cannot reach private networks.
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
  return /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(host);
}

function isPrivateIpv4([a, b]: [number, number, number, number]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
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
  if (g0 === 0x64 && groups[1] === 0xff9b) return isPrivateIpv4(embeddedV4(groups)); // NAT64
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xff00) === 0xff00;
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
