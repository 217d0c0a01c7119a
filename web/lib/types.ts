/*
 * Wire types for the SPA. Temporary home: they mirror worker/schemas/{common,auth,pipeline}.ts field for field
 * and will become `z.infer<typeof …>` re-exports from there.
 */

/** RFC 9457 problem details, as every API error is returned (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  requestId?: string | null;
  /** Present on validation failures: one entry per zod issue; `path` is dot-joined ("contacts.0.email"). */
  errors?: FieldError[];
}

export interface FieldError {
  path: string;
  message: string;
  code?: string;
}

export interface Branding {
  productName: string;
  /** `#rrggbb` */
  accentColor: string;
  logoUrl: string | null;
}

export type Role = "ADMIN" | "USER" | "VIEWER";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  workspaceId: string;
  workspaceName?: string;
  lastLoginAt?: string | null;
  createdAt?: string;
}

/** `POST /api/auth/login` */
export interface LoginResponse {
  /** The access token (short-lived; renewed through the HttpOnly refresh cookie, see lib/session.ts). */
  token: string;
  /** When `token` expires (ISO 8601). */
  expiresAt: string;
  user: User;
}

/** `GET /api/auth/me` */
export interface MeResponse {
  user: User;
}

/** ISO 4217 code, e.g. "USD". */
export type CurrencyCode = string;

/** Money is always an integer number of minor units (cents) plus its currency. */
export interface CurrencyTotal {
  currency: CurrencyCode;
  amount: number;
  weighted: number;
  count: number;
}

export type StageTotal = CurrencyTotal;
export type PipelineTotal = CurrencyTotal;

export type StageKind = "open" | "won" | "lost";

export interface PipelineCard {
  id: string;
  name: string;
  accountName: string | null;
  /** Minor units; null when the deal has no amount yet. */
  amount: number | null;
  currency: CurrencyCode;
  /** Effective probability 0–100 (the deal's override or its stage's default). */
  probability: number;
  /** The deal's own probability, when it overrides the stage's. */
  probabilityOverride: number | null;
  /** `YYYY-MM-DD` (a calendar date, no time zone). */
  closeDate: string | null;
  ownerId: string | null;
  ownerName: string | null;
  stageId: string;
  /** ISO 8601 timestamp. */
  stageEnteredAt: string;
  daysInStage: number;
  /** Order within the column (sparse numbers; moves write a value between neighbours). */
  position: number;
  /** Optimistic-concurrency token sent back with PATCHes. */
  version: number;
}

export interface PipelineStage {
  id: string;
  name: string;
  /** Aging limit in days; null = none. */
  agingDays?: number | null;
  position: number;
  probability: number;
  kind: StageKind;
  count: number;
  totals: StageTotal[];
  cards: PipelineCard[];
  /** More cards after the loaded ones: `GET /api/opportunities/pipeline/stages/:id/cards?cursor=…`. */
  nextCursor: string | null;
}

/** `GET /api/opportunities/pipeline/stages/:id/cards` */
export interface StageCardsPage {
  cards: PipelineCard[];
  nextCursor: string | null;
}

/** `GET /api/opportunities/pipeline/totals`: the board's numbers without cards. */
export interface PipelineTotals {
  pipelineId?: string;
  stages: { id: string; count: number; totals: StageTotal[] }[];
  totals: PipelineTotal[];
}

/** `GET /api/opportunities/pipeline` */
export interface Pipeline {
  /** The pipeline this board shows (the workspace's default unless `pipelineId` was asked for). */
  pipeline: { id: string; key: string; name: string; isDefault: boolean };
  stages: PipelineStage[];
  /** Open deals only, one entry per currency. */
  totals: PipelineTotal[];
}

/** Query parameters of `GET /api/opportunities/pipeline`; all optional, passed through as strings. */
export interface PipelineFilters {
  /** UUID; the URL carries it as `?pipeline=`. Absent: the workspace's default pipeline. */
  pipelineId?: string;
  /** UUID (the API answers 400 otherwise). */
  ownerId?: string;
  /** UUID */
  accountId?: string;
  /** `YYYY-MM-DD` */
  closeFrom?: string;
  /** `YYYY-MM-DD` */
  closeTo?: string;
  /** Minor units, like every amount on the wire. */
  amountMin?: string;
  amountMax?: string;
  /** ISO 4217 code: only deals in this currency. */
  currency?: string;
  q?: string;
}
