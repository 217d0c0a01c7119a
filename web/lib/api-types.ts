/*
 * Wire types for the SPA, all derived from web/lib/api-schema.d.ts — generated from the Worker's OpenAPI document by
 * `npm run gen:api` — so a change to a route's zod contract reaches the SPA's types at the next generation (and
 * tests/node/api-schema.test.ts fails until then). Nothing here is written by hand but the names.
 */
import type { components, paths } from "./api-schema";

export type { components, paths } from "./api-schema";

type Method = "get" | "put" | "post" | "delete" | "patch";
/** Paths that answer `M`. */
export type PathWith<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, unknown> ? P : never }[keyof paths];
type Operation<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;

/** The JSON body `M P` answers with `S` (default 200; 201 for creations, where declared). */
export type ResponseOf<P extends keyof paths, M extends Method = "get", S extends number = 200> = Operation<P, M> extends { responses: infer R }
  ? S extends keyof R
    ? R[S]
    : never
  : never;
/** The query parameters of `M P` as the server reads them. */
export type QueryOf<P extends keyof paths, M extends Method = "get"> = Operation<P, M> extends { parameters: { query: infer Q } } ? Q : never;
/** The JSON body `M P` accepts. */
export type BodyOf<P extends keyof paths, M extends Method> = Operation<P, M> extends { requestBody: infer B } ? B : never;
export type Schema<N extends keyof components["schemas"]> = components["schemas"][N];

/**
 * RFC 9457 problem details, as every API error is returned (`application/problem+json`). `detail` and `requestId` are
 * optional here: the client also reports failures the server never answered (network errors, a bad gateway page).
 */
export type ProblemDetails = Omit<Schema<"Problem">, "detail" | "requestId"> & { detail?: string; requestId?: string | null };
export type FieldError = NonNullable<ProblemDetails["errors"]>[number];

export type Branding = ResponseOf<"/api/branding">;
export type User = MeResponse["user"];
export type Role = User["role"];
/** `POST /api/auth/login` */
export type LoginResponse = ResponseOf<"/api/auth/login", "post">;
/** `GET /api/auth/me` */
export type MeResponse = ResponseOf<"/api/auth/me">;

/** `GET /api/opportunities/pipeline` */
export type Pipeline = ResponseOf<"/api/opportunities/pipeline">;
export type PipelineStage = Pipeline["stages"][number];
export type PipelineCard = PipelineStage["cards"][number];
export type StageKind = PipelineStage["kind"];
/** Money is always an integer number of minor units (cents) plus its currency. */
export type CurrencyTotal = Pipeline["totals"][number];
export type PipelineTotal = CurrencyTotal;
/** `GET /api/opportunities/pipeline/totals`: the board's numbers without cards. */
export type PipelineTotals = ResponseOf<"/api/opportunities/pipeline/totals">;
/** `GET /api/opportunities/pipeline/stages/:id/cards` */
export type StageCardsPage = ResponseOf<"/api/opportunities/pipeline/stages/{stageId}/cards">;
/**
 * The board's filters as the URL carries them (strings, passed through as query parameters): every query parameter
 * of `GET /api/opportunities/pipeline` but the card count, and the custom field filters.
 */
export type PipelineFilters = { [K in Exclude<keyof QueryOf<"/api/opportunities/pipeline">, "cardsPerStage">]?: string } & {
  /** Custom field filters, as on lists: `custom.<key>`, `custom.<key>[gte]`, … (open-ended, not in the contract). */
  [custom: `custom.${string}`]: string | undefined;
};
