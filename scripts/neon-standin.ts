/** Runs the local Neon stand-in (WebSocket proxy + HTTP /sql) on its own: `tsx scripts/neon-standin.ts --port 4444`. */
import { parseArgs } from "node:util";
import { startNeonStandin } from "./lib/neon-standin";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4444" },
    host: { type: "string", default: "127.0.0.1" },
    quiet: { type: "boolean", default: false },
  },
});

const standin = await startNeonStandin({ port: Number(values.port), host: values.host, log: !values.quiet });
console.log(`Neon stand-in on ${standin.url} (WebSocket ${standin.url.replace(/^http/, "ws")}/v1?address=HOST:PORT, POST ${standin.url}/sql)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void standin.close().then(() => process.exit(0)));
}
