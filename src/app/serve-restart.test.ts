import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { startSandbox, type Sandbox } from './sandbox.js';
import { processesIn } from '../testing/processes.js';

/**
 * `kill -9` of a real `k3sc serve` in the middle of an implementation run and again in the
 * middle of the review: each time a new serve process (cold caches) adopts the run, and the
 * issue ends in needs-human with one run of each kind, one claim comment each, and no attempt
 * counted as failed. (The earlier behaviour: the pipe broke, the run died, counted as failed,
 * and ran again; a killed review parked the issue with no review.)
 */
const STUB = new URL('../../dist/runner/stub-agent.js', import.meta.url).pathname;
const IMPLEMENT = 'sandbox-hello-k3sc-1-1';
const REVIEW = 'sandbox-hello-k3sc-1-2';

let world: Sandbox;
let home: TempHome;
const children: ChildProcess[] = [];

const startServe = (): ChildProcess => {
  const child = spawn(process.execPath, [BIN, '--config', home.configPath, 'serve', '--no-console'], {
    env: cleanEnv({ HOME: home.dir, GITHUB_TOKEN: world.token }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  children.push(child);
  return child;
};

const killHard = async (child: ChildProcess): Promise<void> => {
  const gone = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGKILL');
  await gone;
};

const agentAtWork = (attempt: string) => async (): Promise<boolean> =>
  (await readFile(join(home.dataDir, 'runs', attempt, 'output.log'), 'utf8').catch(() => '')).includes(
    '[agent] init',
  );

beforeAll(async () => {
  home = await tempHome();
  world = await startSandbox(join(home.dir, 'world'));
  const agent = `{ command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(STUB)}, "{prompt}"], env: { K3SC_STUB_SLEEP_MS: "3000" } }`;
  await writeFile(
    home.configPath,
    [
      `data_dir: ${JSON.stringify(home.dataDir)}`,
      'http: { host: 127.0.0.1, port: 0 }',
      `github: { api_url: ${JSON.stringify(world.apiUrl)} }`,
      `repos: [{ owner: ${world.repo.owner}, name: ${world.repo.name} }]`,
      `allowed_authors: [${world.allowedAuthors.join(', ')}]`,
      'scan: { min_interval: 5s }',
      `agents: { claude: ${agent}, codex: ${agent} }`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const pid of await processesIn(home.dataDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await world.close();
  await home.cleanup();
});

describe('kill -9 of serve mid-run, then a new serve', () => {
  it('adopts the implementation and then the review run; nothing runs twice, nothing counts as failed', async () => {
    const ref = world.issue;
    const first = startServe();
    await waitFor('the implementation agent at work', agentAtWork(IMPLEMENT), 60_000);
    await killHard(first);
    expect((await processesIn(join(home.dataDir, 'runs'))).length).toBeGreaterThan(0);

    const second = startServe();
    await waitFor('the review agent at work', agentAtWork(REVIEW), 90_000);
    await killHard(second);

    const third = startServe();
    const recorded = async (): Promise<boolean> =>
      (await readFile(join(home.dataDir, 'state.json'), 'utf8').catch(() => '')).includes(
        '"phase": "succeeded"',
      ) &&
      JSON.parse(await readFile(join(home.dataDir, 'state.json'), 'utf8')).attempts[REVIEW]?.phase ===
        'succeeded';
    await waitFor('the review recorded as succeeded', recorded, 90_000);
    expect(world.github.getIssue(world.repo, ref)?.labels).toContain('needs-human');
    const stopped = new Promise((resolve) => third.once('close', resolve));
    third.kill('SIGTERM');
    await stopped;

    const state = JSON.parse(await readFile(join(home.dataDir, 'state.json'), 'utf8')) as {
      attempts: Record<string, { kind: string; phase: string; interrupted?: boolean }>;
    };
    expect(
      Object.entries(state.attempts).map(([n, a]) => [n, a.kind, a.phase, a.interrupted ?? false]),
    ).toEqual([
      [IMPLEMENT, 'implement', 'succeeded', false],
      [REVIEW, 'review', 'succeeded', false],
    ]);
    const comments = world.github.getComments(world.repo, ref).map((c) => c.body);
    expect(comments.filter((c) => c.includes('is implementing this'))).toHaveLength(1);
    expect(comments.filter((c) => c.includes('is reviewing this'))).toHaveLength(1);
    expect(new Set(comments).size).toBe(comments.length);
    const pulls = world.github.getPulls(world.repo).filter((p) => p.pull?.head === 'issue-1');
    expect(pulls).toHaveLength(1);
    expect(world.github.getIssue(world.repo, ref)?.labels.filter((l) => /^(claude|codex)-/.test(l))).toEqual(
      [],
    );
  }, 240_000);
});
