import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** ASN.1 SubjectPublicKeyInfo header of an Ed25519 key: prefix + the raw 32 bytes = DER. */
const ED25519_DER_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Discord rejects nothing older than this; we do the same (replays outside the window fail). */
export const MAX_SKEW_SECONDS = 300;

/** The key object for the portal's 64-hex public key. */
export const discordPublicKey = (hex: string): KeyObject => {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('the Discord public key must be 64 hex characters');
  return createPublicKey({
    key: Buffer.concat([ED25519_DER_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
};

export type SignatureVerdict = 'ok' | 'unsigned' | 'stale' | 'forged';

/**
 * Checks Discord's `X-Signature-Ed25519` over `timestamp + body` and that the timestamp is
 * within five minutes of `nowMs`. Anything but `ok` is answered 401.
 */
export const checkSignature = (
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowMs: number,
): SignatureVerdict => {
  const { signature, timestamp } = headers;
  if (signature === undefined || timestamp === undefined || signature === '' || timestamp === '')
    return 'unsigned';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    return 'stale';
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return 'forged';
  try {
    return verify(null, Buffer.from(timestamp + body), key, Buffer.from(signature, 'hex')) ? 'ok' : 'forged';
  } catch {
    return 'forged';
  }
};
