/**
 * Decides what an uploaded file is. The declared type (the browser's guess from the file name) must be allowed AND
 * agree with the file's first bytes for every format that has a signature, so a renamed executable is refused
 * whatever it claims to be.
 */

const ALIASES: Record<string, string> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "application/x-pdf": "application/pdf",
  "application/x-zip-compressed": "application/zip",
  "application/x-zip": "application/zip",
  "text/x-markdown": "text/markdown",
  "text/comma-separated-values": "text/csv",
  "application/csv": "text/csv",
  "text/rtf": "application/rtf",
};

/** Used when the browser declares nothing useful (empty or application/octet-stream). */
const BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  md: "text/markdown",
  rtf: "application/rtf",
  eml: "message/rfc822",
  zip: "application/zip",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ppt: "application/vnd.ms-powerpoint",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
};

/**
 * Names a browser or OS would run, open with an active handler (shortcuts, disk images, help files) or render as
 * active content, and Office formats that carry macros. Refused whatever the bytes say.
 */
const DANGEROUS_EXTENSIONS = new Set([
  "exe", "dll", "com", "bat", "cmd", "msi", "msp", "msix", "msixbundle", "appx", "appxbundle", "scr", "pif", "cpl",
  "ps1", "psm1", "psd1", "ps1xml", "psc1", "vb", "vbs", "vbe", "js", "jse", "mjs", "cjs", "wsf", "wsh", "wsc", "ws",
  "sct", "hta", "jar", "jnlp", "app", "apk", "dmg", "pkg", "deb", "rpm", "sh", "bash", "zsh", "csh", "ksh", "command",
  "lnk", "url", "website", "webloc", "desktop", "inf", "ins", "isp", "reg", "scf", "msc", "gadget", "application",
  "appref-ms", "settingcontent-ms", "library-ms", "search-ms", "chm", "hlp", "iso", "img", "vhd", "vhdx", "cab",
  "html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "php", "py", "pyw", "pl", "rb",
  "lua", "docm", "dotm", "xlsm", "xltm", "xlam", "xll", "xla", "pptm", "potm", "ppsm", "ppam", "sldm", "ade", "adp",
  "mde", "accde", "mdb",
]);

/** The extensions a file of each known type may carry; a name must fit the type it was checked as. */
const EXTENSIONS_BY_TYPE: Record<string, readonly string[]> = (() => {
  const out: Record<string, string[]> = {};
  for (const [ext, type] of Object.entries(BY_EXTENSION)) (out[type] ??= []).push(ext);
  out["image/jpeg"]!.push("jpe", "jfif");
  out["image/heic"]!.push("heif");
  out["text/plain"]!.push("text");
  out["text/markdown"]!.push("markdown");
  return out;
})();

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const startsWith = (head: Uint8Array, sig: Uint8Array, at = 0) => head.length >= at + sig.length && sig.every((b, i) => head[at + i] === b);

const ZIP = [bytes(0x50, 0x4b, 0x03, 0x04), bytes(0x50, 0x4b, 0x05, 0x06)];
const OLE = [bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)];

/** Executable and script formats, refused in any upload. */
function looksExecutable(head: Uint8Array): boolean {
  return (
    startsWith(head, ascii("MZ")) || // Windows PE
    startsWith(head, bytes(0x7f, 0x45, 0x4c, 0x46)) || // ELF
    [bytes(0xfe, 0xed, 0xfa, 0xce), bytes(0xfe, 0xed, 0xfa, 0xcf), bytes(0xce, 0xfa, 0xed, 0xfe), bytes(0xcf, 0xfa, 0xed, 0xfe), bytes(0xca, 0xfe, 0xba, 0xbe)].some((s) => startsWith(head, s)) || // Mach-O
    startsWith(head, ascii("#!")) // shell / interpreter script
  );
}

/** Signature checks per type: true when the bytes are plausibly that format. Types without an entry skip the check. */
const SIGNATURES: Record<string, (head: Uint8Array) => boolean> = {
  // Readers accept a PDF header anywhere in the first kilobyte.
  "application/pdf": (h) => {
    const sig = ascii("%PDF-");
    for (let i = 0; i <= Math.min(1024, h.length - sig.length); i++) if (startsWith(h, sig, i)) return true;
    return false;
  },
  "image/png": (h) => startsWith(h, bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)),
  "image/jpeg": (h) => startsWith(h, bytes(0xff, 0xd8, 0xff)),
  "image/gif": (h) => startsWith(h, ascii("GIF87a")) || startsWith(h, ascii("GIF89a")),
  "image/webp": (h) => startsWith(h, ascii("RIFF")) && startsWith(h, ascii("WEBP"), 8),
  "image/heic": (h) => startsWith(h, ascii("ftyp"), 4) && ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"].some((b) => startsWith(h, ascii(b), 8)),
  "application/zip": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/vnd.oasis.opendocument.text": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/vnd.oasis.opendocument.spreadsheet": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/vnd.oasis.opendocument.presentation": (h) => ZIP.some((s) => startsWith(h, s)),
  "application/msword": (h) => OLE.some((s) => startsWith(h, s)),
  "application/vnd.ms-excel": (h) => OLE.some((s) => startsWith(h, s)),
  "application/vnd.ms-powerpoint": (h) => OLE.some((s) => startsWith(h, s)),
  "application/rtf": (h) => startsWith(h, ascii("{\\rtf")),
};

/** Text formats must be text: no NUL byte in the sampled head (binary files almost always have one early). */
const isTextual = (type: string) => type.startsWith("text/") || type === "message/rfc822";
const looksBinary = (head: Uint8Array) => head.includes(0);

export const SNIFF_BYTES = 4096;

export type ContentTypeVerdict = { ok: true; contentType: string } | { ok: false; detail: string };

/** The last extension of a name (after cleanFilename, so "run.bat." has become "run.bat"). */
export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9_-]{1,20})$/.exec(filename);
  return m ? m[1]!.toLowerCase() : "";
}

/**
 * The content type to store for an upload, or why it is refused (415).
 * @param head the first SNIFF_BYTES bytes of the file
 */
export function resolveContentType(input: { declared: string; filename: string; head: Uint8Array; allowed: readonly string[] }): ContentTypeVerdict {
  const ext = extensionOf(input.filename);
  if (DANGEROUS_EXTENSIONS.has(ext)) return { ok: false, detail: `Files of type .${ext} are not accepted` };
  if (looksExecutable(input.head)) return { ok: false, detail: "The file is an executable program or script; it is not accepted whatever its name" };

  let type = input.declared.split(";")[0]!.trim().toLowerCase();
  type = ALIASES[type] ?? type;
  if (type === "" || type === "application/octet-stream") type = BY_EXTENSION[ext] ?? "";
  if (!type) return { ok: false, detail: `The file's type could not be determined from "${input.filename}"; accepted: ${input.allowed.join(", ")}` };
  if (!input.allowed.includes(type)) return { ok: false, detail: `${type} files are not accepted; accepted: ${input.allowed.join(", ")}` };

  // The name is what the downloader's OS will act on: "notes.url" sent as text/plain would open as a shortcut.
  const fits = EXTENSIONS_BY_TYPE[type];
  if (ext && fits && !fits.includes(ext)) {
    return { ok: false, detail: `The name ends in .${ext}, which does not fit ${type} (expected .${fits.join(", .")})` };
  }

  const signature = SIGNATURES[type];
  if (signature && !signature(input.head)) return { ok: false, detail: `The file's content is not ${type}, although it was sent as one` };
  if (isTextual(type) && looksBinary(input.head)) return { ok: false, detail: `The file's content is binary, not ${type}` };
  return { ok: true, contentType: type };
}

/**
 * A file name safe to store and show: no directories (old browsers send C:\fakepath\…), no control or invisible
 * format characters (a right-to-left override makes "exe.txt" read as "txt.exe"), and no trailing dots or spaces —
 * Windows drops those when saving, so "run.bat." would land on disk as "run.bat" and must be judged as such.
 */
export function cleanFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const cleaned = base.normalize("NFC").replace(/[\p{Cc}\p{Cf}]/gu, "").trim().replace(/[.\s]+$/u, "").slice(0, 255).replace(/[.\s]+$/u, "");
  return cleaned === "" || cleaned === "." || cleaned === ".." ? "attachment" : cleaned;
}

/** RFC 6266 / 5987: an ASCII fallback for old clients plus the exact UTF-8 name in filename*. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
