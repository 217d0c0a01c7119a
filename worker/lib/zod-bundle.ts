// @ts-nocheck -- a bundler alias target (wrangler.toml [alias]); type-checking a self-importing namespace module trips TS
// over the circular `z`, while the code and types everyone uses are zod's own.
/**
 * What `zod` resolves to in the Worker bundle (wrangler.toml [alias]): zod itself minus its ~260 KiB of translated
 * error messages. @hono/zod-openapi hands the whole `z` namespace to extendZodWithOpenApi(z), which defeats tree
 * shaking, so every locale would otherwise ship although only English (zod's default, kept) is ever used.
 * The explicit `locales` and `core` exports shadow zod's `export * as …` re-exports (`z.core` re-exports the locales
 * too); everything else is zod's own. Imported by path, not as "zod", because the alias would send "zod" back here.
 */
import * as core from "./zod-core-bundle";
import * as z from "./zod-bundle";

export * from "../../node_modules/zod/v4/classic/external.js";
export const locales = {};
export { core, z };
export default z;
