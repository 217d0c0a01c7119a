/**
 * What `ajv` and `ajv-formats` resolve to in the Worker bundle (wrangler.toml [alias]). The MCP SDK's server imports
 * its Ajv validator at module scope, but Workers forbid the code generation Ajv relies on, so /mcp hands the SDK the
 * @cfworker/json-schema validator instead (worker/mcp/server.ts) and Ajv is never constructed: this stands in for
 * its ~140 KiB (with fast-uri and ajv-formats) and fails loudly should anything ever call it.
 */
export default class AjvUnused {
  constructor() {
    throw new Error("Ajv is not bundled in the Worker: pass a jsonSchemaValidator (CfWorkerJsonSchemaValidator) to the MCP SDK");
  }
}
