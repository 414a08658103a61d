import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { RunStatus } from '../../core/ports/agent-runtime.js';

const iso = (d: Date | string | undefined): string | undefined =>
  d === undefined ? undefined : new Date(d).toISOString();

const condition = (job: V1Job, type: string) =>
  job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/** The agent container's last termination across the attempt's pods (newest pod first). */
const lastTermination = (pods: readonly V1Pod[]) => {
  const newest = [...pods].sort(
    (a, b) =>
      new Date(b.metadata?.creationTimestamp ?? 0).getTime() -
      new Date(a.metadata?.creationTimestamp ?? 0).getTime(),
  );
  for (const pod of newest) {
    const cs =
      pod.status?.containerStatuses?.find((c) => c.name === 'agent') ?? pod.status?.containerStatuses?.[0];
    const t = cs?.state?.terminated ?? cs?.lastState?.terminated;
    if (t !== undefined) return t;
  }
  return undefined;
};

/** Why a failed Job failed, in the words the engine posts on the issue. */
const failureReason = (
  job: V1Job,
  reason: string | undefined,
  message: string | undefined,
  pods: readonly V1Pod[],
) => {
  if (reason === 'DeadlineExceeded') return `deadline exceeded (${job.spec?.activeDeadlineSeconds ?? '?'}s)`;
  const t = lastTermination(pods);
  if (t?.reason === 'OOMKilled') return `out of memory (OOMKilled, exit code ${t.exitCode})`;
  if (t !== undefined && t.exitCode !== 0)
    return `exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`;
  return [reason ?? 'failed', message].filter(Boolean).join(': ');
};

/**
 * A RunStatus from an agent Job and its pods. Only the Job's final conditions (`Complete`,
 * `Failed`) end a run: `FailureTarget`/`SuccessCriteriaMet` come while a pod may still be
 * terminating, and the slot must not be reused until it is gone.
 */
export const runStatusOf = (
  attemptName: string,
  job: V1Job | undefined,
  pods: readonly V1Pod[],
): RunStatus => {
  if (job === undefined) return { attemptName, state: 'missing' };
  const startedAt = iso(job.status?.startTime ?? job.metadata?.creationTimestamp);
  const base = { attemptName, ...(startedAt === undefined ? {} : { startedAt }) };
  const complete = condition(job, 'Complete');
  if (complete !== undefined) {
    const finishedAt = iso(job.status?.completionTime ?? complete.lastTransitionTime);
    return { ...base, state: 'succeeded', exitCode: 0, ...(finishedAt === undefined ? {} : { finishedAt }) };
  }
  const failed = condition(job, 'Failed');
  if (failed !== undefined) {
    const finishedAt = iso(failed.lastTransitionTime);
    const t = lastTermination(pods);
    return {
      ...base,
      state: 'failed',
      reason: failureReason(job, failed.reason, failed.message, pods),
      ...(t === undefined ? {} : { exitCode: t.exitCode }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
    };
  }
  if (job.metadata?.deletionTimestamp !== undefined) {
    return { ...base, state: 'failed', reason: 'stopped (its Job is being deleted)' };
  }
  return { ...base, state: 'running' };
};
