import { describe, expect, it } from 'vitest';
import { newDiscordKeys } from '../../../sandbox/discord-fake/index.js';
import { RecentKeys as SeenIds } from '../../shared/recent-keys.js';
import { checkSignature, discordPublicKey } from './verify-signature.js';

describe('checkSignature (Ed25519 over timestamp + body)', () => {
  const keys = newDiscordKeys();
  const key = discordPublicKey(keys.publicKeyHex);
  const now = 1_700_000_000_000;
  const ts = now / 1000;
  const body = '{"type":1}';
  const check = (h: Record<string, string>, b = body, at = now) =>
    checkSignature(
      key,
      { signature: h['x-signature-ed25519'], timestamp: h['x-signature-timestamp'] },
      b,
      at,
    );

  it('accepts a correct signature within five minutes either way', () => {
    expect(check(keys.sign(body, ts))).toBe('ok');
    expect(check(keys.sign(body, ts - 299))).toBe('ok');
    expect(check(keys.sign(body, ts + 299))).toBe('ok');
  });

  it('rejects stale, unsigned, forged and tampered requests', () => {
    expect(check(keys.sign(body, ts - 301))).toBe('stale');
    expect(check(keys.sign(body, ts + 301))).toBe('stale');
    expect(check({})).toBe('unsigned');
    expect(check({ ...keys.sign(body, ts), 'x-signature-ed25519': 'zz' })).toBe('forged');
    expect(check(keys.sign(body, ts), '{"type":2}')).toBe('forged');
    // The timestamp is signed too: moving it breaks the signature.
    expect(check({ ...keys.sign(body, ts), 'x-signature-timestamp': String(ts + 1) })).toBe('forged');
    expect(check(newDiscordKeys().sign(body, ts))).toBe('forged');
  });

  it('refuses a public key that is not 64 hex characters', () => {
    expect(() => discordPublicKey('abc')).toThrow(/64 hex/);
  });
});

describe('SeenIds', () => {
  it('remembers ids for the window, then forgets them', () => {
    let t = 0;
    const seen = new SeenIds(600_000, 1000, () => t);
    expect(seen.firstTime('a')).toBe(true);
    t = 599_999;
    expect(seen.firstTime('a')).toBe(false);
    t = 600_000;
    expect(seen.firstTime('a')).toBe(true);
  });

  it('keeps memory bounded under a flood', () => {
    let t = 0;
    const seen = new SeenIds(600_000, 100, () => t);
    for (let i = 0; i < 10_000; i += 1) {
      t += 1;
      seen.firstTime(`id${i}`);
    }
    expect(seen.size).toBe(100);
    expect(seen.firstTime('id9999')).toBe(false);
  });
});
