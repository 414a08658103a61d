import { describe, expect, it } from 'vitest';
import { probeHttpHost } from './probe-http-host.js';

const failing = (code: string) => (): Promise<never> =>
  Promise.reject(Object.assign(new Error(code), { code }));

describe('probeHttpHost', () => {
  it('accepts IP addresses without looking them up', async () => {
    const lookup = (): Promise<never> => Promise.reject(new Error('must not be called'));
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1'])
      expect(await probeHttpHost(host, { lookup })).toBeUndefined();
  });

  it('reports a name that does not resolve, with the resolver’s code', async () => {
    expect(await probeHttpHost('nowhere.invalid', { lookup: failing('ENOTFOUND') })).toBe(
      'http.host: "nowhere.invalid" does not resolve to an address (ENOTFOUND); serve could not listen on it — use an IP address such as 127.0.0.1 or 0.0.0.0, or a name this machine resolves',
    );
  });

  it('accepts a name that resolves, and one whose lookup does not finish in time', async () => {
    expect(await probeHttpHost('localhost', { lookup: () => Promise.resolve({}) })).toBeUndefined();
    expect(
      await probeHttpHost('slow', { lookup: () => new Promise(() => undefined), timeoutMs: 10 }),
    ).toBeUndefined();
  });
});
