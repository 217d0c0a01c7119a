/**
 * The Reply-To of mail sent from the CRM: `crm+r<workspace id><signature>@INBOUND_EMAIL_DOMAIN`, signed with
 * HMAC-SHA-256 under JWT_SECRET. Nothing is stored and nobody can forge one for another workspace; a reply to it is
 * captured like mail to the workspace's own address (threaded on the sent message's Message-ID).
 */
async function signature(secret: string, workspaceHex: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`reply:${workspaceHex}`)));
  return [...mac.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function replyToken(secret: string, workspaceId: string): Promise<string> {
  const hex = workspaceId.replace(/-/g, "").toLowerCase();
  return `r${hex}${await signature(secret, hex)}`;
}

/** The workspace a reply token names, when its signature is right. */
export async function workspaceOfReplyToken(secret: string, token: string): Promise<string | null> {
  const m = /^r([0-9a-f]{32})([0-9a-f]{16})$/.exec(token);
  if (!m) return null;
  const expected = await signature(secret, m[1]!);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ m[2]!.charCodeAt(i);
  if (diff !== 0) return null;
  const h = m[1]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
