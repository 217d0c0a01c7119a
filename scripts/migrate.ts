/** `npm run db:migrate` / first step of `npm run deploy`: applies pending migrations to DATABASE_URL. */
import { migrate } from "./lib/database";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: export the Neon connection string (the direct, non-pooler host) and retry.");
  process.exit(1);
}
const started = Date.now();
await migrate(url);
console.log(`Migrations applied to ${new URL(url).host} in ${Date.now() - started} ms`);
