import type { V1Pod } from '@kubernetes/client-node';
import { RESULT_TAG, USAGE_TAG } from '../../core/protocol/report-lines.js';

/**
 * The agent container's termination message: with `terminationMessagePolicy:
 * FallbackToLogsOnError` the kubelet keeps the last lines of a failed container's log (up to
 * 2 KiB / 80 lines) in the pod's status, so the runner's closing `[result]` line survives a log
 * that can no longer be read (node gone, log rotated, kubelet unreachable).
 */
export const terminationMessage = (pod: V1Pod | undefined): string | undefined => {
  const cs =
    pod?.status?.containerStatuses?.find((c) => c.name === 'agent') ?? pod?.status?.containerStatuses?.[0];
  const t = cs?.state?.terminated ?? cs?.lastState?.terminated;
  return t?.message === undefined || t.message === '' ? undefined : t.message;
};

const isReport = (line: string): boolean => line.startsWith(RESULT_TAG) || line.startsWith(USAGE_TAG);

/**
 * The log the engine reads, completed from the termination message: when the log has no
 * `[result]` line (empty, cut short) the message's report lines that it lacks are appended, so a
 * usage limit (`quotaResetAt`) or the reason is never lost. A log that has its result is kept.
 */
export const withTerminationReport = (log: string, message: string | undefined): string => {
  if (message === undefined) return log;
  const lines = log.split('\n');
  if (lines.some((l) => l.startsWith(RESULT_TAG))) return log;
  const have = new Set(lines);
  const missing = message.split('\n').filter((l) => isReport(l) && !have.has(l));
  if (missing.length === 0) return log;
  const base = log === '' || log.endsWith('\n') ? log : `${log}\n`;
  return `${base}${missing.join('\n')}\n`;
};
