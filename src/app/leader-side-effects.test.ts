import { describe, expect, it, vi } from 'vitest';
import { farmOf } from '../bot/farm.js';
import { findCommand } from '../bot/command-table.js';
import { renderText } from '../bot/render/text.js';
import { runCommand } from '../bot/run-command.js';
import type { Transport } from '../bot/transport.js';
import { createFarmApi } from '../core/api/farm-api.js';
import type { EngineEvent } from '../core/engine/events.js';
import { silentLogger } from '../core/ports/logger.js';
import { createHarness } from '../testing/engine-harness.js';
import type { LeaderGate } from './leader-gate.js';
import {
  leaderOnlyConnection,
  leaderOnlyFarm,
  leaderOnlyJobs,
  leaderOnlySink,
  NOT_LEADER_MESSAGE,
} from './leader-side-effects.js';

/** A gate the test flips: `lead()` elects, `depose()` ends the term (its signal aborts). */
const testGate = (): LeaderGate & { lead(): void; depose(): void } => {
  let term: AbortController | undefined;
  let waiters: (() => void)[] = [];
  return {
    identity: 'test',
    isLeader: () => term !== undefined && !term.signal.aborted,
    whenLeading: async (signal) => {
      while (!signal.aborted) {
        if (term && !term.signal.aborted) return term.signal;
        await new Promise<void>((r) => {
          waiters.push(r);
          signal.addEventListener('abort', () => r(), { once: true });
        });
      }
      return undefined;
    },
    run: () => Promise.resolve(),
    lead() {
      term = new AbortController();
      for (const w of waiters.splice(0)) w();
      waiters = [];
    },
    depose() {
      term?.abort();
    },
  };
};

const ADMIN = { id: 'cli:alice', display: 'alice', role: 'admin' as const };

describe('a follower serves reads and refuses changes (ADR 0008)', () => {
  it('kill on a follower answers "not the leader" and changes nothing; top and dispatch --dry-run work', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    const gate = testGate();
    const farm = leaderOnlyFarm(
      farmOf(createFarmApi({ deps: h.deps, engine: h.engine, serving: true, runtimeName: 'memory' })),
      gate,
    );
    const run = (name: string, args: Record<string, unknown>) =>
      runCommand(
        findCommand(name)!,
        args,
        { farm, actor: ADMIN, signal: new AbortController().signal },
        {
          logger: silentLogger,
          where: 'cli',
        },
      );
    const refused = await run('kill', { issue: `o/r#${ref.number}` });
    expect(renderText(refused)).toContain(NOT_LEADER_MESSAGE);
    expect(h.runtime.running()).toEqual(['o-r-1-1']);
    expect(renderText(await run('pause', {}))).toContain(NOT_LEADER_MESSAGE);
    expect((await h.state()).paused).toBe(false);
    expect(renderText(await run('top', {}))).toContain('o/r#1');
    await expect(
      farm.api.dispatch({ dryRun: true }, { actor: ADMIN, signal: AbortSignal.timeout(5_000) }),
    ).resolves.toMatchObject({ dryRun: true });

    gate.lead();
    expect(renderText(await run('kill', { issue: `o/r#${ref.number}` }))).not.toContain(NOT_LEADER_MESSAGE);
    expect(h.runtime.running()).toEqual([]);
    gate.depose(); // a deposed leader refuses at once
    await expect(farm.api.resume({ actor: ADMIN, signal: AbortSignal.timeout(5_000) })).rejects.toMatchObject(
      {
        code: 'unavailable',
        message: NOT_LEADER_MESSAGE,
      },
    );
  });

  it('chat posts from events go out only while leading', () => {
    const gate = testGate();
    const seen: EngineEvent[] = [];
    const sink = leaderOnlySink({ emit: (e) => void seen.push(e) }, gate)!;
    const alert = { type: 'alert', kind: 'quota-exhausted', message: 'x' } as EngineEvent;
    sink.emit(alert);
    gate.lead();
    sink.emit(alert);
    gate.depose();
    sink.emit(alert);
    expect(seen).toHaveLength(1);
  });

  it('schedules: a follower skips its ticks; a run in flight is aborted when leadership is lost', async () => {
    const gate = testGate();
    const runs: AbortSignal[] = [];
    const [job] = leaderOnlyJobs(
      [
        {
          name: 'digest',
          cron: '* * * * *',
          run: (s) => {
            runs.push(s);
            return Promise.resolve();
          },
        },
      ],
      gate,
      silentLogger,
    );
    await job!.run(new AbortController().signal);
    expect(runs).toHaveLength(0);
    gate.lead();
    await job!.run(new AbortController().signal);
    expect(runs).toHaveLength(1);
    gate.depose();
    expect(runs[0]!.aborted).toBe(true);
  });

  it('a chat connection is opened by the leader only, and closed (serve stops) when it is deposed', async () => {
    const gate = testGate();
    const inner: Transport = {
      name: 'discord-gateway',
      start: vi.fn(() => Promise.resolve()),
      stop: vi.fn(() => Promise.resolve()),
    };
    const deposed = vi.fn();
    const t = leaderOnlyConnection(inner, gate, silentLogger, deposed);
    const serveSignal = new AbortController();
    await t.start({} as never, serveSignal.signal);
    await new Promise((r) => setTimeout(r, 10));
    expect(inner.start).not.toHaveBeenCalled();
    gate.lead();
    await vi.waitFor(() => expect(inner.start).toHaveBeenCalledTimes(1));
    gate.depose();
    await vi.waitFor(() => expect(deposed).toHaveBeenCalledTimes(1));
    expect(inner.stop).toHaveBeenCalledTimes(1);
    await t.stop();
    expect(inner.stop).toHaveBeenCalledTimes(1);
  });
});
