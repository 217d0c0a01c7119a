import type { Config } from "./config";
import type { Role } from "./schemas/common";
import type { Services } from "./lib/services";

export interface AuthContext {
  userId: string;
  workspaceId: string;
  role: Role;
  /** Read from the user row; absent on reads whose session check is deferred (middleware/auth.ts deferredRead). */
  email?: string;
  name?: string;
  /** How the caller proved who it is: a session token or an integrator's API key. */
  via: "token" | "api_key";
  /** The API key used (via = "api_key"); userId is then the key's creator, who is the actor in the audit trail. */
  apiKeyId?: string;
  /** The session behind a token (via = "token"): sign-out revokes it. */
  sessionId?: string;
}

export type { Services } from "./lib/services";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: Config;
    services: Services;
    auth: AuthContext;
    /** Ids of the outbox rows this request's mutations wrote: the relay (middleware/event-relay.ts) sends them on. */
    outbox: number[];
    errorCode?: string;
    /** /mcp: what the request asked for (`tools/call:update_opportunity`, `tools/list`…), for the request log. */
    mcpCalls?: string[];
  };
}
