import { hasNextLink, type PageResult } from './conditional-pages.js';
import { httpStatusOf, mapGitHubError } from './map-github-error.js';

export interface RequestStats {
  /** Calls k3sc made: one per page of a conditional list, one per other call (plugin retries not counted). */
  readonly requests: number;
  /** Of those, how many GitHub answered 304 Not Modified. */
  readonly notModified: number;
}

interface ListResponse<W> {
  readonly headers: { readonly etag?: string | undefined; readonly link?: string | undefined };
  readonly data: readonly W[];
}

/** Runs GitHub calls: counts them, maps failures to K3scError, turns 304 into "not modified". */
export class RequestRunner {
  private requests = 0;
  private notModified = 0;

  constructor(private readonly baseUrl: string) {}

  get stats(): RequestStats {
    return { requests: this.requests, notModified: this.notModified };
  }

  /** @param what what is being done, for error messages, e.g. `commenting on acme/app#3` */
  async run<T>(what: string, send: () => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await send();
    } catch (err) {
      throw mapGitHubError(err, what, this.baseUrl);
    }
  }

  /** One page of a list, sent with `If-None-Match` by the caller when it has an ETag. */
  async page<W, T>(
    what: string,
    send: () => Promise<ListResponse<W>>,
    map: (w: W) => T,
  ): Promise<PageResult<T>> {
    this.requests++;
    try {
      const res = await send();
      return {
        notModified: false,
        etag: res.headers.etag,
        items: res.data.map(map),
        hasNext: hasNextLink(res.headers.link),
      };
    } catch (err) {
      if (httpStatusOf(err) === 304) {
        this.notModified++;
        return { notModified: true };
      }
      throw mapGitHubError(err, what, this.baseUrl);
    }
  }
}

/** Octokit request options for a conditional GET with an optional AbortSignal. */
export interface RequestExtras {
  readonly headers?: Record<string, string>;
  readonly request?: { readonly signal: AbortSignal };
}

export const conditional = (etag: string | undefined, signal: AbortSignal | undefined): RequestExtras => ({
  ...(etag ? { headers: { 'if-none-match': etag } } : {}),
  ...(signal ? { request: { signal } } : {}),
});

export const withSignal = (signal: AbortSignal | undefined): RequestExtras =>
  signal ? { request: { signal } } : {};
