import type { AppError } from "@/domain/errors";
import type { Capabilities, ErrorClass, ProviderKind } from "@/domain/providers/types";
import type { KindConfig } from "./config";

/** A provider account as adapters see it: credentials decrypted, settings untyped (each adapter reads its own). */
export interface AccountCtx {
  id: number;
  kind: ProviderKind;
  baseUrl: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
  config: KindConfig;
}

export interface BindingCtx {
  id: number;
  deviceRef: string;
  pointId: number;
  /** Provider keys the binding maps (BindingVariable.key). */
  keys: string[];
  account: AccountCtx;
}

/** Adapter-owned paging state, stored in PointBinding.cursor between pages. */
export type Cursor = Record<string, unknown>;

/** One HTTP response body exactly as received, with what the processor needs to parse it later. */
export interface FetchedBody {
  body: string;
  /** Per-variable APIs (thethings.iO): the key this body answers. */
  key?: string;
  readings: number;
  /** Set when the body could not be parsed: stored raw as rejected, never processed. */
  error?: string;
}

export interface FetchPage {
  bodies: FetchedBody[];
  readings: number;
  /** Newest measurement time in the page (advances the watermark). */
  maxMeasuredAt: Date | null;
  /** Null: the window is exhausted. */
  nextCursor: Cursor | null;
  /** The walk broke off (mid-stream error, unreadable body): store `bodies`, then throw this. */
  failure?: AppError;
}

interface RangeQuery {
  from: Date;
  to: Date;
  cursor: Cursor | null;
}

/** Cached credentials for an account. Static-token providers return their token with no expiry. */
export interface AuthState {
  token: string;
  expiresAt: Date | null;
}

/**
 * One adapter per provider kind; stateless. HTTP only: URLs, parsing, paging decisions and error
 * classification come from domain/providers. Methods throw AppError (classified) on failure.
 */
export interface ProviderAdapter {
  kind: ProviderKind;
  capabilities: Capabilities;
  /** Returns a usable credential, from the Redis cache when still valid; `force` re-authenticates. */
  authenticate(account: AccountCtx, opts?: { force?: boolean }): Promise<AuthState>;
  fetchLatest(binding: BindingCtx): Promise<FetchPage>;
  /** One page of [from, to]; call again with nextCursor until it is null. */
  fetchRange(binding: BindingCtx, q: RangeQuery): Promise<FetchPage>;
  classifyError(status: number | null, headers: Headers | null, body: unknown): ErrorClass;
}
