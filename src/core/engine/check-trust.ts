import type { TrustVerdict } from '../domain/plan-dispatch.js';
import { READY } from '../domain/labels.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { EngineDeps } from './deps.js';

/**
 * Who applied `ready`? Trusted when an allowed author or a collaborator with write access.
 * Verdicts are cached per issue and its updatedAt, so an unchanged issue costs no request.
 */
export class TrustChecker {
  private readonly cache = new Map<string, { updatedAt: string; verdict: TrustVerdict }>();

  async check(deps: EngineDeps, refs: readonly IssueRef[], signal?: AbortSignal): Promise<Map<string, TrustVerdict>> {
    const out = new Map<string, TrustVerdict>();
    for (const ref of refs) {
      const key = issueKey(ref);
      const updatedAt = deps.cache.issue(ref)?.updatedAt ?? '';
      const hit = this.cache.get(key);
      if (hit && hit.updatedAt === updatedAt) {
        out.set(key, hit.verdict);
        continue;
      }
      try {
        const verdict = await this.verdict(deps, ref, signal);
        this.cache.set(key, { updatedAt, verdict });
        out.set(key, verdict);
      } catch (err) {
        deps.logger.warn({ issue: key, err }, 'trust check failed');
        out.set(key, { trusted: false, detail: 'could not read who applied ready (GitHub error); will retry' });
      }
    }
    return out;
  }

  private async verdict(deps: EngineDeps, ref: IssueRef, signal?: AbortSignal): Promise<TrustVerdict> {
    const actor = await deps.tracker.labelAppliedBy(ref, READY, signal);
    if (actor === undefined) return { trusted: false, detail: 'no labeled event found for ready' };
    const self = deps.settings.botLogin?.toLowerCase() === actor.toLowerCase();
    const allowed = self || deps.settings.allowedAuthors.some((a) => a.toLowerCase() === actor.toLowerCase());
    if (allowed || (await deps.tracker.hasWriteAccess(ref.repo, actor, signal))) return { trusted: true };
    return { trusted: false, detail: `ready was applied by ${actor}, who is neither an allowed author nor a writer` };
  }
}
