// The parts of the OpenAI SDK the provider uses, behind one module that openai.ts imports on demand (a dynamic import
// of the package itself would bundle all of it: only named static imports are tree-shaken).
export {
  default as OpenAI,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  PermissionDeniedError,
  RateLimitError,
} from "openai";
