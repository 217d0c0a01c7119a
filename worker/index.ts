import { app } from "./app";
import { handleQueue } from "./queues/consumer";

export { RateLimiter } from "./durable-objects/rate-limiter";
export type { AppType } from "./app";

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
