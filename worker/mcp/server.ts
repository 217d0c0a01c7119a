import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { ForbiddenError } from "../lib/errors";
import { knownProblem, problemBody } from "../middleware/errors";
import { requiredRole, roleAllows } from "../middleware/policy";
import { getMeta } from "../services/meta/get";
import { mcpTools, type McpTool } from "./tools";
import { parseOrThrow } from "./validate";

export const SCHEMA_RESOURCE = "bespoke://workspace/schema";

/** A tool's input as JSON Schema: the contract as a client sends it (before defaults and transforms). */
const inputSchemas = new WeakMap<McpTool, Record<string, unknown>>();
function inputSchemaOf(t: McpTool) {
  let s = inputSchemas.get(t);
  if (!s) {
    const { $schema: _, ...rest } = z.toJSONSchema(t.input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    s = { type: "object", ...rest };
    inputSchemas.set(t, s);
  }
  return s;
}

const json = (value: unknown): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value) }],
  ...(value && typeof value === "object" && !Array.isArray(value) ? { structuredContent: value as Record<string, unknown> } : {}),
});

/**
 * A refusal or bad input as the tool's answer (isError), carrying the problem+json REST would have sent — status,
 * detail and the fields at fault — so the model can correct itself. A bug is logged and answered as a 500 problem;
 * it never breaks the session.
 */
function toolError(c: Context<AppEnv>, tool: string, err: unknown): CallToolResult {
  const known = knownProblem(err);
  const requestId = c.var.requestId;
  if (!known) console.error(JSON.stringify({ level: "error", msg: "mcp tool failed", tool, requestId, error: String(err), stack: (err as Error)?.stack }));
  const body = known
    ? problemBody(known.status, known.title, known.detail, requestId, known.extra)
    : problemBody(500, "Internal Server Error", "Something went wrong on our side; the request id identifies it in the logs", requestId);
  return { content: [{ type: "text", text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

/** The role check of the auth middleware, for the REST route a tool stands for. */
function assertRole(c: Context<AppEnv>, t: McpTool) {
  const need = requiredRole(t.rest.method, t.rest.path);
  const have = c.var.auth.role;
  if (need !== "public" && !roleAllows(have, need)) throw new ForbiddenError(`This action needs the ${need} role; you are ${have}`);
}

/**
 * One MCP server per request (stateless Streamable HTTP: nothing is kept between requests, so any isolate can answer
 * any call). Its handlers close over the request context: the caller's workspace, role and API key.
 */
export function createMcpServer(c: Context<AppEnv>): Server {
  const server = new Server(
    { name: `${c.var.config.BRAND_NAME} CRM`, version: "1.0.0" },
    {
      capabilities: { tools: {}, resources: {} },
      // Ajv compiles validators with `new Function`, which Workers forbid; this one interprets the schema.
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
      instructions:
        "A CRM: accounts, contacts, leads and deals (opportunities) with their activities. Find ids with search_records, read with get_record / list_deals, and read the schema resource for fields, custom fields, pipelines, stages and reason codes before writing. Errors are problem+json documents naming the field at fault.",
    },
  );
  const tools = mcpTools();
  const byName = new Map(tools.map((t) => [t.name, t]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: inputSchemaOf(t) as { type: "object" },
      annotations: { title: t.title, readOnlyHint: t.rest.method === "GET", destructiveHint: false, openWorldHint: false },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    c.set("mcpCalls", [...(c.get("mcpCalls") ?? []), `tools/call:${request.params.name}`]);
    const t = byName.get(request.params.name);
    if (!t) throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${request.params.name}; tools/list names them`);
    try {
      assertRole(c, t);
      const args = parseOrThrow(t.input, request.params.arguments ?? {});
      return json(await t.run(c, args as never));
    } catch (err) {
      return toolError(c, t.name, err);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: [
      {
        uri: SCHEMA_RESOURCE,
        name: "schema",
        title: "Workspace schema",
        description: "Fields of accounts, contacts, leads and deals (core and custom, with types and options), pipelines with their stages, and reason codes: GET /api/meta.",
        mimeType: "application/json",
      },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    if (request.params.uri !== SCHEMA_RESOURCE) throw new McpError(ErrorCode.InvalidParams, `Unknown resource ${request.params.uri}; resources/list names them`);
    const meta = await getMeta({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId });
    return { contents: [{ uri: SCHEMA_RESOURCE, mimeType: "application/json", text: JSON.stringify(meta) }] };
  });

  return server;
}

/** Answers one POST /mcp (a JSON-RPC message or batch, already parsed) with a JSON response. */
export async function handleMcp(c: Context<AppEnv>, body: unknown): Promise<Response> {
  // Tool calls add their names as they run; everything else is logged by method.
  const methods = (Array.isArray(body) ? body : [body]).map((m) => (m as { method?: unknown })?.method).filter((m): m is string => typeof m === "string" && m !== "tools/call");
  c.set("mcpCalls", methods);
  const server = createMcpServer(c);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(c.req.raw, { parsedBody: body });
  } finally {
    await server.close();
  }
}
