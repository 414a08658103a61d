import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { runStatusOf } from './job-status.js';

const t = new Date('2026-12-01T10:00:00Z');
const job = (
  conditions: { type: string; reason?: string }[],
  extra: Partial<V1Job['metadata']> = {},
): V1Job => ({
  metadata: { name: 'a-1-1', ...extra },
  spec: { activeDeadlineSeconds: 60, template: {} },
  status: {
    startTime: t,
    conditions: conditions.map((c) => ({ ...c, status: 'True', lastTransitionTime: t })),
  },
});
const pod = (exitCode: number, reason: string): V1Pod => ({
  metadata: { name: 'a-1-1-x', creationTimestamp: t },
  status: {
    containerStatuses: [
      {
        name: 'agent',
        image: 'i',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode, reason } },
      },
    ],
  },
});

describe('runStatusOf', () => {
  it('is missing without a Job and running without a final condition', () => {
    expect(runStatusOf('a', undefined, []).state).toBe('missing');
    expect(runStatusOf('a', job([]), []).state).toBe('running');
    // FailureTarget / SuccessCriteriaMet come while the pod may still be terminating: not yet over
    expect(runStatusOf('a', job([{ type: 'FailureTarget' }]), []).state).toBe('running');
    expect(runStatusOf('a', job([{ type: 'SuccessCriteriaMet' }]), []).state).toBe('running');
  });
  it('maps Complete and the reasons of Failed', () => {
    expect(runStatusOf('a', job([{ type: 'Complete' }]), [])).toMatchObject({
      state: 'succeeded',
      exitCode: 0,
    });
    expect(runStatusOf('a', job([{ type: 'Failed', reason: 'DeadlineExceeded' }]), []).reason).toBe(
      'deadline exceeded (60s)',
    );
    expect(
      runStatusOf('a', job([{ type: 'Failed', reason: 'BackoffLimitExceeded' }]), [pod(137, 'OOMKilled')]),
    ).toMatchObject({
      state: 'failed',
      exitCode: 137,
      reason: 'out of memory (OOMKilled, exit code 137)',
    });
    expect(
      runStatusOf('a', job([{ type: 'Failed', reason: 'BackoffLimitExceeded' }]), [pod(3, 'Error')]).reason,
    ).toBe('exited with code 3 (Error)');
  });
  it('calls a Job being deleted without a result stopped', () => {
    expect(runStatusOf('a', job([], { deletionTimestamp: t }), [])).toMatchObject({ state: 'failed' });
  });
});
