import type { TrustVerdict } from '../domain/plan-dispatch.js';
import { READY } from '../domain/labels.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { EngineDeps } from './deps.js';

/** One cached verdict, as snapshot() hands it out and restore() takes it back. */
export interface TrustEntry {
  readonly issue: string;
  readonly updatedAt: string;
  readonly verdict: TrustVerdict;
}

/**
 * Who applied `ready`? Trusted when an allowed author or a collaborator with write access.
 * Verdicts are cached per issue and its updatedAt, so an unchanged issue costs no request.
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
    refs: readonly IssueRef[],
    signal?: AbortSignal,
    concurrency = 4,
  ): Promise<Map<string, TrustVerdict>> {
    const out = new Map<string, TrustVerdict>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < refs.length) {
        const ref = refs[next++] as IssueRef;
        out.set(issueKey(ref), await this.checkOne(deps, ref, signal));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, refs.length) }, worker));
    return out;
  }

  private async checkOne(deps: EngineDeps, ref: IssueRef, signal?: AbortSignal): Promise<TrustVerdict> {
    const key = issueKey(ref);
    const updatedAt = deps.cache.issue(ref)?.updatedAt ?? '';
    const hit = this.cache.get(key);
    if (hit && hit.updatedAt === updatedAt) return hit.verdict;
    try {
      const verdict = await this.verdict(deps, ref, signal);
      this.cache.set(key, { updatedAt, verdict });
      return verdict;
    } catch (err) {
      deps.logger.warn({ issue: key, err }, 'trust check failed');
      return { trusted: false, detail: 'could not read who applied ready (GitHub error); will retry' };
    }
  }

  private async verdict(deps: EngineDeps, ref: IssueRef, signal?: AbortSignal): Promise<TrustVerdict> {
    const actor = await deps.tracker.labelAppliedBy(ref, READY, signal);
    if (actor === undefined) return { trusted: false, detail: 'no labeled event found for ready' };
    const self = deps.settings.botLogin?.toLowerCase() === actor.toLowerCase();
    const allowed = self || deps.settings.allowedAuthors.some((a) => a.toLowerCase() === actor.toLowerCase());
    if (allowed || (await deps.tracker.hasWriteAccess(ref.repo, actor, signal))) return { trusted: true };
    return {
      trusted: false,
      detail: `ready was applied by ${actor}, who is neither an allowed author nor a writer`,
    };
  }
}
