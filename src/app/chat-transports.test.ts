import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandRouter, Transport } from '../bot/transport.js';
import { silentLogger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { chatEndpoints, configuredTransports, rbacPolicy, startTransports } from './chat-transports.js';

const router: CommandRouter = { handle: () => Promise.resolve() };

const fake = (name: string, log: string[], failStart = false): Transport => ({
  name,
  start: () => {
    log.push(`start ${name}`);
    return failStart ? Promise.reject(new Error(`${name} cannot connect`)) : Promise.resolve();
  },
  stop: () => {
    log.push(`stop ${name}`);
    return Promise.resolve();
  },
});

describe('chat transports', () => {
  it('starts the list in order and stops it in reverse', async () => {
    const log: string[] = [];
    const stop = await startTransports(
      [fake('a', log), fake('b', log)],
      router,
      new AbortController().signal,
    );
    expect(log).toEqual(['start a', 'start b']);
    await stop();
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('stops the ones already started when a later one fails to start', async () => {
    const log: string[] = [];
    const list = [fake('a', log), fake('b', log, true), fake('c', log)];
    await expect(startTransports(list, router, new AbortController().signal)).rejects.toThrow(
      'b cannot connect',
    );
    expect(log).toEqual(['start a', 'start b', 'stop a']);
  });

  it('stops every started transport even when one stop fails, then reports the failure', async () => {
    const log: string[] = [];
    const broken: Transport = { ...fake('b', log), stop: () => Promise.reject(new Error('b hung up')) };
    const stop = await startTransports(
      [fake('a', log), broken, fake('c', log)],
      router,
      new AbortController().signal,
    );
    await expect(stop()).rejects.toThrow('b hung up');
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop a']);
  });

  it('lists the console only when asked for, and it stops cleanly', async () => {
    expect(configuredTransports({ console: false, write: () => undefined })).toEqual([]);
    const out: string[] = [];
    const [t] = configuredTransports({
      console: true,
      input: new PassThrough(),
      output: new PassThrough(),
      write: (s) => void out.push(s),
    });
    expect(t?.name).toBe('console');
    const stop = await startTransports(t ? [t] : [], router, new AbortController().signal);
    expect(out).toEqual(['console chat: type "help" for commands, "top" for the dashboard\n']);
    await stop();
  });

  it('maps the rbac section to a policy where unnamed chat users are viewers', () => {
    const channels = { C9: { admins: [], operators: ['U3'], viewers: [] } };
    expect(rbacPolicy({ admins: ['U1'], operators: ['S2'], viewers: [], channels })).toEqual({
      admins: ['U1'],
      operators: ['S2'],
      viewers: [],
      unknown: 'viewer',
      channels,
    });
  });
});

describe('chatEndpoints', () => {
  const withSlack = (slack: Record<string, unknown> | undefined): K3scConfig =>
    ({
      chat: {
        console: { enabled: false },
        ...(slack === undefined
          ? {}
          : {
              slack: {
                enabled: true,
                socketMode: false,
                apiUrl: 'http://127.0.0.1:9/api/',
                botTokenEnv: 'B',
                appTokenEnv: 'A',
                signingSecretEnv: 'S',
                channels: [],
                botToken: 'xoxb-1',
                signingSecret: 's',
                ...slack,
              },
            }),
      },
      repos: [{ owner: 'o', name: 'r' }],
      rbac: { admins: [], operators: ['SOPS'], viewers: [], channels: {} },
    }) as unknown as K3scConfig;

  it('mounts POST /slack/events only for an enabled Slack over HTTP with both secrets', () => {
    const on = chatEndpoints(withSlack({}), silentLogger);
    expect(Object.keys(on.routes)).toContain('POST /slack/events');
    expect(on.transports.map((t) => t.name)).toEqual(['slack']);
    for (const off of [
      undefined,
      { enabled: false },
      { socketMode: true }, // without an app token: no Slack at all
      { socketMode: true, appToken: 'xapp-1' }, // Socket Mode: a transport, but no route
      { signingSecret: undefined },
      { botToken: undefined },
    ]) {
      const none = chatEndpoints(withSlack(off), silentLogger);
      // Discord's route answers 503 until it is configured; Slack's is not mounted at all.
      expect(Object.keys(none.routes)).not.toContain('POST /slack/events');
      if (off?.appToken === undefined) expect(none.transports).toEqual([]);
    }
  });

  it('starts Slack in Socket Mode (no route) with the bot and app tokens', () => {
    const socket = chatEndpoints(withSlack({ socketMode: true, appToken: 'xapp-1' }), silentLogger);
    expect(socket.transports.map((t) => t.name)).toEqual(['slack']);
    expect(Object.keys(socket.routes)).not.toContain('POST /slack/events');
  });
});
