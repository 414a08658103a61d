import { ghError, type FakeResponse } from './http-types.js';
import type { FaultSpec, StatusFault } from './types.js';

interface ArmedFault {
  readonly spec: FaultSpec;
  left: number;
}

const matches = (spec: FaultSpec, method: string, pathname: string): boolean => {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method) return false;
  if (spec.path === undefined) return true;
  return typeof spec.path === 'string' ? spec.path === pathname : spec.path.test(pathname);
};

const withHeaders = (res: FakeResponse, headers: Record<string, string>): FakeResponse => ({
  ...res,
  headers,
});

/** Builds the response GitHub sends for each fault kind, rate-limit headers included. */
export const faultResponse = (spec: StatusFault, nowSeconds: number): FakeResponse => {
  const wait = spec.retryAfterSeconds ?? 0;
  if (spec.status === 500) return ghError(500, 'Server Error');
  if (spec.status === 502) return ghError(502, 'Server Error: Bad Gateway');
  if (spec.secondary) {
    const message =
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
      'If you reach out to GitHub Support for help, please include the request ID FAKE:0000.';
    return withHeaders(ghError(spec.status, message), { 'retry-after': String(wait) });
  }
  const message =
    'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID FAKE:0000.';
  return withHeaders(ghError(spec.status, message), {
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(nowSeconds + wait),
  });
};

/** Faults armed by tests; each matching request consumes one `times`. */
export class FaultInjector {
  private faults: ArmedFault[] = [];

  inject(spec: FaultSpec): void {
    if (spec.times > 0) this.faults.push({ spec, left: spec.times });
  }

  /** The fault to apply to this request, if any (consumes it). */
  take(method: string, pathname: string): FaultSpec | undefined {
    const armed = this.faults.find((f) => f.left > 0 && matches(f.spec, method, pathname));
    if (!armed) return undefined;
    armed.left--;
    this.faults = this.faults.filter((f) => f.left > 0);
    return armed.spec;
  }

  pending(): number {
    return this.faults.reduce((n, f) => n + f.left, 0);
  }

  clear(): void {
    this.faults = [];
  }
}
