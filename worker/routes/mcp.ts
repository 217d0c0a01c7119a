import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { problem } from "../middleware/errors";

/**
 * The Model Context Protocol endpoint (Streamable HTTP, stateless, JSON responses): AI assistants list and call the
 * tools of worker/mcp/tools.ts with an API key (or a session token), under the same role policy as REST. Mounted
 * outside /api, behind the same middleware (app.ts). The SDK is loaded on the first MCP request only.
 */
export const mcpRoutes = new Hono<AppEnv>()
  .post("/mcp", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error: the body is not JSON" }, id: null }, 400);
    }
    const { handleMcp } = await import("../mcp/server");
    return handleMcp(c, body);
  })
  // Stateless: no server-initiated stream (GET) and no session to end (DELETE); clients then carry on with POST only.
  .all("/mcp", (c) => {
    c.header("Allow", "POST");
    return problem(c, 405, "Method Not Allowed", "This MCP server is stateless: send JSON-RPC messages with POST /mcp");
  });
