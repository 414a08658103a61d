import { readdir, readFile, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSecretValues } from '../adapters/config/mask-config.js';
import { main } from '../main.js';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import { makeBareRepo } from '../runner/__tests__/git-fixture.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { writeLeakyAgent } from './__tests__/leaky-agent.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { createLogger } from './logger.js';
import { serve } from './serve.js';

/**
 * Secrets planted in every place one can come from. The GitHub tokens are not token-shaped,
 * so only the known-value rule can catch them; SIGNING_KEY and DB_PASS are secret by name
 * only; HELPER_SETTING is a Slack-shaped token under a name that says nothing.
 */
const FILE_TOKEN = 'planted-file-token-7f3a9c';
const ENV_TOKEN = 'planted-env-token-1b2c3d';
const WEBHOOK = 'planted-webhook-secret-5e6f';
const AGENT_ENV = {
  SIGNING_KEY: 'planted-signing-key-0001',
  DB_PASS: 'planted-db-pass-0002',
  OPENAI_API_KEY: 'sk-proj-PlantedOpenAiKey0123456789abcdef',
  HELPER_SETTING: 'xoxb-1234567890-0987654321-PlantedSlack',
  SSH_PRIVATE_KEY:
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAPLANTED01\nAAAAC3NzaC1lZDI1NTE5AAAAIPlantedSecondLineOfTheKey0002\n-----END OPENSSH PRIVATE KEY-----',
};
const PEM_LINES = AGENT_ENV.SSH_PRIVATE_KEY.split('\n').slice(1, -1);
const PLANTED = [FILE_TOKEN, ENV_TOKEN, WEBHOOK, ...Object.values(AGENT_ENV), ...PEM_LINES];
const REPO = { owner: 'acme', name: 'widgets' };

/** Every file under `dir`, with its text. */
const filesUnder = async (dir: string): Promise<Array<[string, string]>> => {
  const out: Array<[string, string]> = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    out.push([path, await readFile(path, 'utf8')]);
  }
  return out;
};

/** The planted secrets that occur in `text` (none, we hope). */
const leaksIn = (text: string): string[] => PLANTED.filter((s) => text.includes(s));

/** Runs `main` in this process with `env` and captures stdout and stderr. */
const cli = async (env: Record<string, string>, ...argv: string[]): Promise<string> => {
  for (const k of ['GITHUB_TOKEN', 'GH_TOKEN', 'K3SC_CONFIG', 'K3SC_WEBHOOK_SECRET', 'MAX_SLOTS'])
    vi.stubEnv(k, undefined);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  let text = '';
  const capture = (chunk: string | Uint8Array): boolean => ((text += String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const code = await main(argv);
    return `${text}\n(exit ${code})`;
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
};

let runner: BuiltRunner;
beforeAll(async () => {
  runner = await buildRunner();
});
afterAll(() => runner.cleanup());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

interface Source {
  readonly name: string;
  /** Environment k3sc loads its config with. */
  readonly env: Record<string, string>;
  readonly tokenFile: boolean;
}

const SOURCES: Source[] = [
  { name: 'github.token_file', env: { K3SC_WEBHOOK_SECRET: WEBHOOK }, tokenFile: true },
  { name: 'env GH_TOKEN', env: { GH_TOKEN: ENV_TOKEN, K3SC_WEBHOOK_SECRET: WEBHOOK }, tokenFile: false },
];

describe.each(SOURCES)('no planted secret leaves k3sc (GitHub token from $name)', (source) => {
  let fake: GitHubFake;
  let home: TempHome;
  const logLines: string[] = [];
  const served: string[] = [];
  let ok: number;
  let failing: number;

  beforeAll(async () => {
    fake = await startGitHubFake({ tokens: { [FILE_TOKEN]: 'k3sc-bot', [ENV_TOKEN]: 'k3sc-bot' } });
    home = await tempHome();
    fake.addRepo({
      ...REPO,
      defaultBranch: 'main',
      cloneUrl: await makeBareRepo(home.dir, 'widgets', 'main'),
    });
    ok = fake.addIssue(REPO, { title: 'Write notes', author: 'alice', labels: ['ready'] });
    failing = fake.addIssue(REPO, { title: 'Doomed', author: 'alice', labels: ['ready'] });
    const agent = await writeLeakyAgent(home.dir, failing);
    const tokenFile = join(home.dir, 'gh-token');
    await writeFile(tokenFile, `${FILE_TOKEN}\n`);
    await writeFile(
      home.configPath,
      [
        `data_dir: ${JSON.stringify(home.dataDir)}`,
        'http: { host: 127.0.0.1, port: 0 }',
        `github: { api_url: ${JSON.stringify(fake.url)}${source.tokenFile ? `, token_file: ${JSON.stringify(tokenFile)}` : ''} }`,
        'repos: [{ owner: acme, name: widgets }]',
        'allowed_authors: [alice]',
        'families: [claude]',
        'max_slots: 3',
        'runtime: { max_attempts: 1 }',
        'agents:',
        '  claude:',
        `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(agent)}, "{prompt}"]`,
        `    env: ${JSON.stringify(AGENT_ENV)}`,
        '',
      ].join('\n'),
    );
    const { config } = await home.load(source.env);
    expect(config.github.auth).toMatchObject({
      kind: 'token',
      token: source.tokenFile ? FILE_TOKEN : ENV_TOKEN,
    });
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    const abort = new AbortController();
    const done = serve({
      config,
      // As `k3sc serve` builds it in main.ts.
      logger: createLogger({ level: 'debug', secrets: configSecretValues(config), destination }),
      write: (s) => void served.push(s),
      console: false,
      signal: abort.signal,
      runnerDir: dirname(runner.main),
    });
    done.catch(() => undefined);
    try {
      await waitFor(
        'both issues in needs-human',
        () =>
          [ok, failing].every((n) => fake.getIssue(REPO, n)?.labels.includes('needs-human')) &&
          fake.getPulls(REPO).length === 1,
        60_000,
      );
      await waitFor('three finished attempts in the state file', async () => {
        const state = await readFile(join(home.dataDir, 'state.json'), 'utf8');
        return (state.match(/"phase": ?"(succeeded|failed)"/g) ?? []).length >= 3;
      });
    } finally {
      abort.abort();
      await done.catch(() => undefined);
    }
  }, 120_000);

  afterAll(async () => {
    await fake.close();
    await home.cleanup();
  });

  it('the agent really saw the secrets (so the checks below mean something)', async () => {
    const pr = fake.getPulls(REPO)[0]!;
    const bodies = [ok, failing, pr.number].flatMap((n) => fake.getComments(REPO, n).map((c) => c.body));
    expect(bodies.some((b) => b.startsWith('Hand-off from claude-'))).toBe(true);
    expect(bodies.some((b) => b.startsWith('Review hand-off from claude-'))).toBe(true);
    expect(bodies.some((b) => b.startsWith('k3sc parked this issue'))).toBe(true);
    const handoff = bodies.find((b) => b.startsWith('Hand-off from'))!;
    expect(handoff).toContain('GITHUB_TOKEN=*** GH_TOKEN=*** SIGNING_KEY=*** DB_PASS=*** OPENAI_API_KEY=***');
    const log = (await filesUnder(join(home.dataDir, 'runs'))).find(([p]) => p.endsWith('.log'));
    expect(log?.[1]).toContain('leaky agent stderr: GITHUB_TOKEN=***');
  });

  it('no GitHub comment, pull request title or body holds one', () => {
    const texts = fake.getPulls(REPO).flatMap((p) => [p.title, p.body]);
    for (const n of [ok, failing, ...fake.getPulls(REPO).map((p) => p.number)])
      texts.push(...fake.getComments(REPO, n).map((c) => c.body));
    expect(texts.length).toBeGreaterThan(4);
    expect(leaksIn(texts.join('\n'))).toEqual([]);
  });

  it("no line of k3sc's log or serve's output holds one", () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(leaksIn(logLines.join(''))).toEqual([]);
    expect(leaksIn(served.join(''))).toEqual([]);
  });

  it('no file k3sc wrote holds one: state file, spec.json, run log, exit.json, workspaces', async () => {
    const files = await filesUnder(home.dataDir);
    const names = files.map(([p]) => p);
    expect(names).toContain(join(home.dataDir, 'state.json'));
    for (const f of ['spec.json', 'exit.json']) expect(names.some((p) => p.endsWith(f))).toBe(true);
    expect(files.flatMap(([p, text]) => leaksIn(text).map((s) => `${p}: ${s}`))).toEqual([]);
  });

  it('the CLI prints none: config check, config check --json, logs', async () => {
    const env = { ...source.env, K3SC_CONFIG: home.configPath };
    const outputs = [
      await cli(env, 'config', 'check'),
      await cli(env, 'config', 'check', '--json'),
      await cli(env, 'logs', `acme/widgets#${failing}`),
    ];
    expect(outputs[1]).toContain('"SIGNING_KEY": "***"');
    expect(outputs[2]).toContain('giving up, see GITHUB_TOKEN=***');
    expect(leaksIn(outputs.join('\n'))).toEqual([]);
  });
});
