// Every test file in workerd starts the way each entry of worker/index.ts does: @hono/zod-openapi first, so the zod
// schemas a test builds by importing a service directly carry `.openapi()` when the app later registers its routes.
import "@hono/zod-openapi";
