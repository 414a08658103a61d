import type { FakeState } from './state.js';
import type { RateLimitSnapshot } from './types.js';

/** A parsed request as route handlers see it. */
export interface FakeRequest {
  readonly method: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  /** Parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** Login behind the token, or `k3sc-bot` for anonymous requests when no tokens are configured. */
  readonly actor: string;
  /** `http://127.0.0.1:PORT`, for absolute URLs in bodies and Link headers. */
  readonly origin: string;
}

/** What a handler answers; the server adds rate-limit headers, ETags and 304s. */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  /** A body sent as is instead of JSON (an HTML page); give its content-type in `headers`. */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set on cacheable GETs: a version string mixed into the ETag, so mutations change it. */
  readonly etagScope?: string;
}

export interface RouteContext {
  readonly state: FakeState;
  readonly perPageMax: number;
  readonly rateLimit: () => RateLimitSnapshot;
}

export type RouteHandler = (req: FakeRequest, ctx: RouteContext) => FakeResponse;

const DOCS = 'https://docs.github.com/rest';

export const ghError = (status: number, message: string, errors?: readonly object[]): FakeResponse => ({
  status,
  body: { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) },
});

export const notFound = (): FakeResponse => ghError(404, 'Not Found');

export const missingField = (resource: string, field: string): FakeResponse =>
  ghError(422, 'Validation Failed', [{ resource, code: 'missing_field', field }]);

export const ok = (body: unknown, etagScope?: string, status = 200): FakeResponse => ({
  status,
  body,
  ...(etagScope === undefined ? {} : { etagScope }),
});
