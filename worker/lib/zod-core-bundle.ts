/** zod's `core` namespace without `core.locales` (see zod-bundle.ts). */
export * from "../../node_modules/zod/v4/core/index.js";
export const locales = {};
