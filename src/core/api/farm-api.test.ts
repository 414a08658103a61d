import { describe, expect, it, vi } from 'vitest';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { isK3scError } from '../errors.js';
import { createFarmApi, type FarmApi } from './farm-api.js';

const setup = (serving: boolean): { h: EngineHarness; api: FarmApi } => {
  const h = createHarness();
  let n = 0;
  const api = createFarmApi({
    deps: h.deps,
    engine: h.engine,
    runtimeName: 'memory',
    serving,
    newId: () => `p${++n}`,
  });
  return { h, api };
};

const call = () => ({ signal: AbortSignal.timeout(10_000), actor: ALICE });
const scans = (h: EngineHarness): number => h.calls.filter((c) => c.method === 'listWorkItems').length;

describe('freshness rule (dashboard, next, take)', () => {
  it('a one-shot process refreshes from GitHub first, as a dry run that claims nothing', async () => {
    const { h, api } = setup(false);
    const ref = h.seedReady();
    const d = await api.dashboard(call());
    expect(scans(h)).toBe(1);
    expect(d.queue.map((q) => [q.issue, q.next])).toEqual([[`o/r#${ref.number}`, 'dispatch to claude-a']]);
    expect(await h.attempts()).toEqual([]);
    expect(h.tracker.labels(ref)).toEqual(['ready']);
  });

  it('a serve that has scanned answers from its cache; one that has not scanned yet refreshes (dry)', async () => {
    const { h, api } = setup(true);
    const ref = h.seedReady();
    await api.dashboard(call());
    expect(scans(h)).toBe(1);
    expect(await h.attempts()).toEqual([]);
    await api.dashboard(call());
    await api.nextForHuman(call());
    expect(scans(h)).toBe(1);
    expect(h.tracker.labels(ref)).toEqual(['ready']);
  });

  it('take inside a serve that has not scanned yet still finds the open PR (it used to see an empty cache)', async () => {
    const { h, api } = setup(true);
    h.tracker.addPull({ repo: h.repo, title: 'fix: crash', branch: 'feature-b' });
    const taken = await api.take('claude-b', call());
    expect(taken?.lease).toMatchObject({ pr: 1, worker: 'claude-b', holder: 'cli:alice' });
    expect(h.tracker.labels({ repo: h.repo, number: 1 })).toEqual(['claude-b']);
  });

  it('next inside a serve that has not scanned yet finds the needs-human issue', async () => {
    const { h, api } = setup(true);
    h.tracker.addIssue({ repo: h.repo, title: 'stuck', author: 'alice', labels: ['needs-human'] });
    expect((await api.nextForHuman(call()))?.title).toBe('stuck');
  });

  it('status of one issue always re-reads its repository, even in a serve that has scanned', async () => {
    const { h, api } = setup(true);
    await api.dashboard(call());
    const ref = h.seedReady({ title: 'fresh' });
    const s = await api.issueStatus(`#${ref.number}`, call());
    expect(scans(h)).toBe(2);
    expect(s.issue?.title).toBe('fresh');
    expect(s.labels?.stage).toBe('ready');
    expect(s.queued?.decision).toMatchObject({ dispatch: true, slot: 'claude-a' });
    expect(await h.attempts()).toEqual([]);
  });
});

describe('dispatch', () => {
  it('logs the pass under its own id, as a child of the command logger', async () => {
    const { h, api } = setup(false);
    const ref = h.seedReady();
    const report = await api.dispatch({}, { ...call(), log: h.logger.child({ cid: 'c1' }) });
    expect(report.started.map((a) => a.issue)).toEqual([ref.number]);
    const lines = h.logger.entries.filter((e) => e.obj['pass'] === 'p1');
    expect(lines.filter((e) => e.msg?.startsWith('pass ')).map((e) => [e.msg, e.obj['cid']])).toEqual([
      ['pass requested', 'c1'],
      ['pass done', 'c1'],
    ]);
    expect(lines.find((e) => e.msg === 'pass done')?.obj['started']).toEqual([report.started[0]?.name]);
    // The engine's own lines of that pass carry the same ids.
    expect(lines.find((e) => e.msg === 'attempt started')?.obj['cid']).toBe('c1');
  });

  it('a real pass resets the idle back-off; a dry run does not and starts nothing', async () => {
    const { h, api } = setup(false);
    await h.store.updateDispatchState((s) => ({ ...s, idleScans: 4 }));
    h.seedReady();
    const dry = await api.dispatch({ dryRun: true }, call());
    expect(dry.started).toEqual([]);
    expect((await h.state()).idleScans).toBe(4);
    await api.dispatch({}, call());
    expect((await h.state()).idleScans).toBe(0);
  });

  it('a dry run with preview shows what the runtime would create for the next issue', async () => {
    const { h, api } = setup(false);
    const ref = h.seedReady();
    // the memory runtime creates no objects: the preview names the attempt only
    const plain = await api.dispatch({ dryRun: true, preview: true }, call());
    expect(plain.preview).toEqual({ attemptName: `o-r-${ref.number}-1` });
    const seen: unknown[] = [];
    Object.assign(h.runtime, {
      preview: (spec: unknown) => {
        seen.push(spec);
        return Promise.resolve('kind: Job\n');
      },
    });
    const withText = await api.dispatch({ dryRun: true, preview: true }, call());
    expect(withText.preview).toEqual({ attemptName: `o-r-${ref.number}-1`, text: 'kind: Job\n' });
    expect(seen[0]).toMatchObject({
      issue: ref.number,
      slot: 'claude-a',
      family: 'claude',
      branch: `issue-${ref.number}`,
    });
    expect(await h.attempts()).toEqual([]);
    // without preview, or for a real pass, nothing is previewed
    expect((await api.dispatch({ dryRun: true }, call())).preview).toBeUndefined();
  });

  it('logs a failed pass under its id and rethrows', async () => {
    const { h, api } = setup(false);
    const boom = new Error('store down');
    vi.spyOn(h.engine, 'pass').mockRejectedValueOnce(boom);
    await expect(api.dispatch({}, call())).rejects.toBe(boom);
    expect(h.logger.entries.find((e) => e.msg === 'pass failed')?.obj).toMatchObject({
      pass: 'p1',
      err: boom,
    });
  });
});

describe('commands wake the loop where a change may free work', () => {
  it('resume, scale N and enable trigger a pass; pause, scale and disable do not', async () => {
    const { h, api } = setup(true);
    const trigger = vi.spyOn(h.engine, 'trigger');
    await api.pause(call());
    await api.scale(undefined, call());
    await api.disable('claude', call());
    expect(trigger).not.toHaveBeenCalled();
    await api.resume(call());
    await api.scale(2, call());
    await api.enable('claude', call());
    expect(trigger).toHaveBeenCalledTimes(3);
    expect(await h.state()).toMatchObject({ paused: false, maxSlots: 2, disabledFamilies: [] });
  });
});

describe('logs', () => {
  it('reads the latest attempt (or a named one), and says clearly when there is none', async () => {
    const { h, api } = setup(false);
    const ref = h.seedReady();
    await expect(api.logs(`o/r#${ref.number}`, {}, call())).rejects.toSatisfy(
      (e) => isK3scError(e, 'not_found') && e.message === `o/r#${ref.number} has no attempts yet`,
    );
    await h.engine.pass();
    const [a] = await h.attempts();
    if (!a) throw new Error('no attempt');
    h.runtime.write(a.name, 'one\ntwo\nthree\n');
    expect(await api.logs(`${ref.number}`, { tail: 2 }, call())).toMatchObject({
      attempt: a.name,
      phase: 'running',
      log: 'two\nthree',
    });
    await expect(api.logs(`o/r#${ref.number}`, { attempt: 'nope' }, call())).rejects.toThrow(
      `no attempt nope for o/r#${ref.number}`,
    );
  });

  it('resolves references against the configured repositories', () => {
    const { api } = setup(false);
    expect(api.resolveIssue('r#7')).toEqual({ repo: { owner: 'o', name: 'r' }, number: 7 });
    expect(() => api.resolveIssue('zz/top#1')).toThrow('repository zz/top is not configured (known: o/r)');
  });
});
