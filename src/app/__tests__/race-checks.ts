import { BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { AGENT_SELECTOR, LABEL } from '../../adapters/kubernetes/labels.js';
import type { KubeStateStore } from '../../adapters/kubernetes/store/index.js';
import type { Attempt } from '../../core/model/attempt.js';
import type { RepoRef } from '../../core/model/refs.js';
import type { GitHubFake } from '../../sandbox/github-fake/index.js';

/** What one issue looks like across GitHub, the AgentJob records and the Jobs. */
export interface IssueView {
  readonly number: number;
  readonly labels: readonly string[];
  readonly attempts: readonly Attempt[];
  /** Attempt names of the Jobs carrying this issue's label. */
  readonly jobs: readonly string[];
  /** Claim comments per attempt name. */
  readonly claims: ReadonlyMap<string, number>;
}

export const viewIssues = async (
  kc: KubeConfig,
  namespace: string,
  store: KubeStateStore,
  github: GitHubFake,
  repo: RepoRef,
  numbers: readonly number[],
): Promise<IssueView[]> => {
  const [attempts, jobs] = await Promise.all([
    store.listAttempts({ repo }),
    kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace, labelSelector: AGENT_SELECTOR }),
  ]);
  return numbers.map((n) => {
    const claims = new Map<string, number>();
    for (const c of github.getComments(repo, n)) {
      const m = /attempt `([^`]+)`/.exec(c.body);
      if (m?.[1] !== undefined) claims.set(m[1], (claims.get(m[1]) ?? 0) + 1);
    }
    return {
      number: n,
      labels: github.getIssue(repo, n)?.labels ?? [],
      attempts: attempts.filter((a) => a.issue === n),
      jobs: jobs.items
        .filter((j) => j.metadata?.labels?.[LABEL.issue] === String(n))
        .map((j) => j.metadata?.annotations?.[LABEL.attempt] ?? j.metadata?.name ?? ''),
      claims,
    };
  });
};

/**
 * Problems with the invariants of a race: at most one AgentJob and exactly one Job per attempt
 * for each issue, every live attempt on its own slot, the slot label on its issue only, one claim
 * comment per attempt. Returns human-readable findings (empty when everything holds).
 */
export const raceFindings = (views: readonly IssueView[], trial: string): string[] => {
  const out: string[] = [];
  const slots = new Map<string, string>();
  for (const v of views) {
    const at = `${trial} #${v.number}`;
    if (v.attempts.length > 1)
      out.push(`${at}: ${v.attempts.length} AgentJobs (${v.attempts.map((a) => a.name).join(', ')})`);
    const names = v.attempts.map((a) => a.name).sort();
    if (JSON.stringify([...v.jobs].sort()) !== JSON.stringify(names))
      out.push(`${at}: Jobs [${v.jobs.join(', ')}] but AgentJobs [${names.join(', ')}]`);
    for (const a of v.attempts) {
      const other = slots.get(a.slot);
      if (other !== undefined) out.push(`${at}: slot ${a.slot} given to ${a.name} and ${other}`);
      slots.set(a.slot, a.name);
      if (!v.labels.includes(a.slot) || v.labels.includes('ready'))
        out.push(`${at}: labels [${v.labels.join(', ')}] for ${a.name} on ${a.slot}`);
      if (v.claims.get(a.name) !== 1)
        out.push(`${at}: ${v.claims.get(a.name) ?? 0} claim comments for ${a.name}`);
    }
    if (v.attempts.length === 0 && !v.labels.includes('ready'))
      out.push(`${at}: no attempt but labels [${v.labels.join(', ')}]`);
  }
  return out;
};

/** Deletes the trial's records (releasing their slots), its Jobs (and pods), and closes its issues. */
export const cleanTrial = async (
  kc: KubeConfig,
  namespace: string,
  store: KubeStateStore,
  github: GitHubFake,
  repo: RepoRef,
  numbers: readonly number[],
): Promise<void> => {
  for (const n of numbers) {
    github.closeIssue(repo, n);
    await store.deleteAttempts(repo, n);
  }
  await kc.makeApiClient(BatchV1Api).deleteCollectionNamespacedJob({
    namespace,
    labelSelector: AGENT_SELECTOR,
    propagationPolicy: 'Background',
  });
};

/** Agent pods the job controller made still in the namespace (for the cleanup's wait). */
export const agentPods = async (kc: KubeConfig, namespace: string): Promise<number> =>
  (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: AGENT_SELECTOR })).items
    .length;
