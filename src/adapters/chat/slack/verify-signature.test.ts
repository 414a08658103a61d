import { describe, expect, it } from 'vitest';
import { slackSignatureHeaders } from '../../../sandbox/slack-fake/index.js';
import { DeliveryDedupe } from './delivery-dedupe.js';
import { deliveryKey } from './slack-receiver.js';
import { verifySlackSignature } from './verify-signature.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW_S = 1_700_000_000;
const check = (body: string, headers: Record<string, string>, nowS = NOW_S): string =>
  verifySlackSignature({
    signingSecret: SECRET,
    body,
    timestamp: headers['x-slack-request-timestamp'],
    signature: headers['x-slack-signature'],
    nowMs: nowS * 1000,
  });

describe('verifySlackSignature', () => {
  const body = 'command=%2Fk3sc&text=top';
  const h = slackSignatureHeaders(SECRET, body, NOW_S);

  it('accepts what Slack signs, within 5 minutes either way', () => {
    expect(check(body, h)).toBe('ok');
    expect(check(body, h, NOW_S + 300)).toBe('ok');
    expect(check(body, h, NOW_S - 300)).toBe('ok');
  });

  it('refuses stale and future timestamps, other bodies, other secrets, missing headers', () => {
    expect(check(body, h, NOW_S + 301)).toBe('stale');
    expect(check(body, h, NOW_S - 301)).toBe('stale');
    expect(check(`${body}x`, h)).toBe('forged');
    expect(check(body, slackSignatureHeaders('other', body, NOW_S))).toBe('forged');
    expect(check(body, { ...h, 'x-slack-signature': h['x-slack-signature']!.replace('v0=', 'v1=') })).toBe(
      'forged',
    );
    expect(check(body, { ...h, 'x-slack-signature': 'v0=abc' })).toBe('forged');
    expect(check(body, { 'x-slack-request-timestamp': String(NOW_S) })).toBe('unsigned');
    expect(check(body, { 'x-slack-signature': h['x-slack-signature']! })).toBe('unsigned');
    expect(check(body, { ...h, 'x-slack-request-timestamp': '1e9' })).toBe('forged');
  });
});

describe('DeliveryDedupe', () => {
  it('drops the same key at +0, +1 min and +5 min, and forgets it after 10 minutes', () => {
    let now = 0;
    const d = new DeliveryDedupe({ now: () => now });
    expect(d.seen('a')).toBe(false);
    expect(d.seen('a')).toBe(true);
    now = 60_000;
    expect(d.seen('a')).toBe(true);
    now = 5 * 60_000;
    expect(d.seen('a')).toBe(true);
    now = 10 * 60_000;
    expect(d.seen('a')).toBe(false);
  });

  it('stays bounded: expired keys go, and past max the oldest go', () => {
    let now = 0;
    const d = new DeliveryDedupe({ now: () => now, max: 100 });
    for (let i = 0; i < 1000; i++) d.seen(`k${i}`);
    expect(d.size).toBe(100);
    expect(d.seen('k999')).toBe(true);
    expect(d.seen('k0')).toBe(false);
    now = 11 * 60_000;
    d.seen('fresh');
    expect(d.size).toBe(1);
  });
});

describe('deliveryKey', () => {
  it('uses the event id, else team and trigger id, else the command with its timestamp', () => {
    expect(deliveryKey({ event_id: 'Ev1', team_id: 'T' }, '1')).toBe('event:Ev1');
    expect(deliveryKey({ team_id: 'T', trigger_id: 'tr' }, '1')).toBe('trigger:T:tr');
    expect(deliveryKey({ team: { id: 'T' }, trigger_id: 'tr' }, '1')).toBe('trigger:T:tr');
    expect(deliveryKey({ team_id: 'T', user_id: 'U', command: '/k3sc', text: 'top' }, '9')).toBe(
      'command:T:U:/k3sc:top:9',
    );
  });
});
