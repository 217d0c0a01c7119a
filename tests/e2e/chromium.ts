/** Debian's Chromium (apt), never a downloaded browser build. CHROMIUM_PATH overrides it (e.g. on macOS). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
