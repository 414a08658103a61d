import type { TrustRequest, TrustVerdict } from '../domain/plan-dispatch.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { EngineDeps } from './deps.js';

/** One cached verdict, as snapshot() hands it out and restore() takes it back. */
export interface TrustEntry {
  readonly issue: string;
  readonly updatedAt: string;
  readonly verdict: TrustVerdict;
}

/**
 * Who applied the stage label (`ready`, `needs-review`)? Trusted when k3sc itself, an allowed
 * author or a collaborator with write access. Verdicts are cached per issue, label and the
 * issue's updatedAt, so an unchanged issue costs no request.
 */
export class TrustChecker {
  private readonly cache = new Map<string, { updatedAt: string; verdict: TrustVerdict }>();

  /** The cached verdicts, so a one-shot CLI process can keep them for the next one. */
  snapshot(): TrustEntry[] {
    return [...this.cache].map(([issue, hit]) => ({ issue, ...hit }));
  }

  /** Takes back verdicts from snapshot(); each still holds only while its issue's updatedAt is unchanged. */
  restore(entries: readonly TrustEntry[]): void {
    for (const e of entries) this.cache.set(e.issue, { updatedAt: e.updatedAt, verdict: e.verdict });
  }

  /** Checks `refs` with bounded concurrency (a first start may have hundreds of ready issues). */
  async check(
    deps: EngineDeps,
    requests: readonly TrustRequest[],
    signal?: AbortSignal,
    concurrency = 4,
  ): Promise<Map<string, TrustVerdict>> {
    const out = new Map<string, TrustVerdict>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const req = requests[next++] as TrustRequest;
        out.set(issueKey(req.ref), await this.checkOne(deps, req.ref, req.label, signal));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    return out;
  }

  private async checkOne(
    deps: EngineDeps,
    ref: IssueRef,
    label: string,
    signal?: AbortSignal,
  ): Promise<TrustVerdict> {
    const key = `${issueKey(ref)} ${label}`;
    const updatedAt = deps.cache.issue(ref)?.updatedAt ?? '';
    const hit = this.cache.get(key);
    if (hit && hit.updatedAt === updatedAt) return hit.verdict;
    try {
      const verdict = await this.verdict(deps, ref, label, signal);
      this.cache.set(key, { updatedAt, verdict });
      return verdict;
    } catch (err) {
      deps.logger.warn({ issue: key, err }, 'trust check failed');
      return { trusted: false, detail: `could not read who applied ${label} (GitHub error); will retry` };
    }
  }

  private async verdict(
    deps: EngineDeps,
    ref: IssueRef,
    label: string,
    signal?: AbortSignal,
  ): Promise<TrustVerdict> {
    const actor = await deps.tracker.labelAppliedBy(ref, label, signal);
    if (actor === undefined) return { trusted: false, detail: `no labeled event found for ${label}` };
    const self = deps.settings.botLogin?.toLowerCase() === actor.toLowerCase();
    const allowed = self || deps.settings.allowedAuthors.some((a) => a.toLowerCase() === actor.toLowerCase());
    if (allowed || (await deps.tracker.hasWriteAccess(ref.repo, actor, signal))) return { trusted: true };
    return {
      trusted: false,
      detail: `${label} was applied by ${actor}, who is neither an allowed author nor a writer`,
    };
  }
}
