import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's window: a request whose timestamp is more than 5 minutes off is refused (replays). */
export const SLACK_TIMESTAMP_WINDOW_S = 5 * 60;

export type SignatureVerdict = 'ok' | 'unsigned' | 'stale' | 'forged';

/**
 * Slack's v0 request signature: `x-slack-signature` is `v0=` + hex HMAC-SHA256 of
 * `v0:<x-slack-request-timestamp>:<raw body>` with the signing secret. Compared in constant time;
 * a timestamp more than 5 minutes from `nowMs` (either way) is stale.
 */
export const verifySlackSignature = (opts: {
  signingSecret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): SignatureVerdict => {
  const { timestamp, signature } = opts;
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '')
    return 'unsigned';
  if (!/^\d{1,12}$/.test(timestamp)) return 'forged';
  if (Math.abs(Math.floor(opts.nowMs / 1000) - Number(timestamp)) > SLACK_TIMESTAMP_WINDOW_S) return 'stale';
  if (!signature.startsWith('v0=')) return 'forged';
  const expected = createHmac('sha256', opts.signingSecret).update(`v0:${timestamp}:${opts.body}`).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'forged';
};
