/**
 * Writes `<dir>/_headers` after the SPA build (`npm run build:web`, `npm run deploy:pages`); `npm start` does the
 * same through scripts/lib/stack.ts. See scripts/lib/headers.ts.
 */
import path from "node:path";
import { writeHeaders } from "./lib/headers";

const dir = process.argv[2] ?? "dist/web";
const connect = writeHeaders(dir);
console.log(`wrote ${path.join(dir, "_headers")} (connect-src 'self'${connect.map((c) => ` ${c}`).join("")})`);
