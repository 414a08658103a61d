import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseUsageLine } from '../core/protocol/report-lines.js';
import { buildRunner, type BuiltRunner } from './__tests__/build-runner.js';
import { git } from './__tests__/git-fixture.js';
import { REPO, TOKEN, startWorld, type RunnerWorld } from './__tests__/runner-harness.js';

let built: BuiltRunner;
let w: RunnerWorld;
beforeAll(async () => {
  built = await buildRunner();
});
afterAll(() => built.cleanup());
beforeEach(async () => {
  w = await startWorld(built);
});
afterEach(() => w.close());

describe('runner: implement attempt', () => {
  it('clones a repo whose default is trunk, commits on issue-N, pushes, opens the PR and hands off', async () => {
    const { result, lines } = await w.run(w.spec());
    expect(result).toMatchObject({ ok: true, prNumber: expect.any(Number) as number });
    expect(lines).toContain('[k3sc] cloning acme/widgets…');
    expect(lines).toContain('[k3sc] default branch: trunk');
    expect(lines).toContain(`[k3sc] branch issue-${w.issue}: created from origin/trunk`);
    expect(lines.at(-1)).toBe(`[result] ${JSON.stringify(result)}`);

    const notes = await git(
      w.dirs.root,
      '--git-dir',
      w.bare,
      'show',
      `issue-${w.issue}:k3sc-notes/issue-${w.issue}.md`,
    );
    expect(notes).toContain(`# Notes for issue #${w.issue}`);
    expect(await git(w.dirs.root, '--git-dir', w.bare, 'branch', '--list')).not.toContain('main');

    const pulls = w.fake.getPulls(REPO);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      number: result.prNumber,
      title: 'Write notes',
      pull: { head: `issue-${w.issue}`, base: 'trunk' },
    });
    expect(pulls[0]?.body).toBe(`Implements #${w.issue} (k3sc attempt acme-widgets-${w.issue}-1)`);

    const comments = w.fake.getComments(REPO, w.issue);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(
      new RegExp(`^Hand-off from claude-a: PR #${result.prNumber} — Wrote k3sc-notes/issue-${w.issue}\\.md`),
    );
    expect(result.prUrl).toContain(`/pull/${result.prNumber}`);
  });

  it('prints one [usage] line per message id, and their costs sum to the run cost', async () => {
    const { lines } = await w.run(w.spec());
    const usage = lines.map(parseUsageLine).filter((u) => u !== undefined);
    expect(usage).toHaveLength(2);
    expect(new Set(usage.map((u) => u.messageId)).size).toBe(2);
    expect(usage.reduce((s, u) => s + u.costUsd, 0)).toBeCloseTo(0.0123, 6);
    expect(usage[0]).toMatchObject({
      model: 'k3sc-stub-1',
      inputTokens: 1200,
      outputTokens: 340,
      cacheReadTokens: 5000,
      cacheWriteTokens: 800,
    });
    expect(lines).toContain('→ Bash: git commit -m "Notes for issue 1"');
  });

  it('re-uses the workspace: fetches, resets, cleans, continues the branch and keeps one PR', async () => {
    const first = await w.run(w.spec());
    const repoDir = join(w.spec().workspace, 'acme__widgets');
    await writeFile(join(repoDir, 'stray.txt'), 'left behind', 'utf8');
    await writeFile(join(repoDir, 'README.md'), 'scribbled', 'utf8');

    const { result, lines } = await w.run(w.spec({ attemptName: `acme-widgets-${w.issue}-2` }));
    expect(result.ok).toBe(true);
    expect(lines).toContain('[k3sc] refreshing acme/widgets in the workspace…');
    expect(lines).not.toContain('[k3sc] cloning acme/widgets…');
    expect(lines).toContain(`[k3sc] branch issue-${w.issue}: continuing from origin/issue-${w.issue}`);
    await expect(readFile(join(repoDir, 'stray.txt'))).rejects.toThrow();
    expect(await readFile(join(repoDir, 'README.md'), 'utf8')).toBe('# widgets\n');
    const notes = await git(
      w.dirs.root,
      '--git-dir',
      w.bare,
      'show',
      `issue-${w.issue}:k3sc-notes/issue-${w.issue}.md`,
    );
    expect(notes.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(2);
    expect(result.prNumber).toBe(first.result.prNumber);
    expect(w.fake.getPulls(REPO)).toHaveLength(1);
    expect(lines.some((l) => l.startsWith(`[k3sc] pull request #${result.prNumber} already open`))).toBe(
      true,
    );
  });

  it('does not post a hand-off when the agent already linked the PR', async () => {
    await w.run(w.spec());
    const pr = w.fake.getPulls(REPO)[0]!.number;
    const script =
      `require('fs').appendFileSync('x.txt','x');require('child_process').execFileSync('git',['commit','-qam','more']);` +
      `fetch(process.argv[1]+'/repos/acme/widgets/issues/${w.issue}/comments',{method:'POST',headers:{authorization:'token '+process.env.GITHUB_TOKEN,'content-type':'application/json'},body:JSON.stringify({body:'Updated PR #${pr}'})}).then(r=>process.exit(r.ok?0:1))`;
    const spec = w.spec({
      attemptName: 'second',
      agent: {
        command: [
          process.execPath,
          '-e',
          `require('fs').writeFileSync('x.txt','');require('child_process').execFileSync('git',['add','x.txt']);${script}`,
          w.fake.url,
        ],
      },
    });
    const { result } = await w.run(spec);
    expect(result.ok).toBe(true);
    const bodies = w.fake.getComments(REPO, w.issue).map((c) => c.body);
    expect(bodies.filter((b) => b.startsWith('Hand-off'))).toHaveLength(1);
    expect(bodies).toContain(`Updated PR #${pr}`);
  });

  it('trusts origin/HEAD when the branch GitHub names does not exist on the remote', async () => {
    w.fake.addRepo({ owner: 'acme', name: 'gadgets', defaultBranch: 'develop', cloneUrl: w.bare });
    const issue = w.fake.addIssue('acme/gadgets', { title: 'Gadget notes', author: 'alice' });
    const spec = w.spec({ repo: { owner: 'acme', name: 'gadgets' }, issue, branch: `issue-${issue}` });
    const { result, lines } = await w.run(spec);
    expect(lines).toContain('[k3sc] warning: origin has no branch develop; using origin/HEAD (trunk)');
    expect(result.ok).toBe(true);
    expect(w.fake.getPulls('acme/gadgets')[0]?.pull?.base).toBe('trunk');
  });

  it('keeps the token out of its output', async () => {
    const spec = w.spec({ agent: { command: ['sh', '-c', 'echo "token=$GITHUB_TOKEN gh=$GH_TOKEN"'] } });
    const { result, lines } = await w.run(spec);
    expect(result).toEqual({ ok: false, reason: 'agent made no changes' });
    const text = lines.join('\n');
    expect(text).toContain('token=*** gh=***');
    expect(text).not.toContain(TOKEN);
  });

  it('redacts the closing words before they reach the hand-off comment, the PR and [result]', async () => {
    const said = `token $GITHUB_TOKEN, signing $SIGNING_KEY, db $DB_PASS`;
    const script = [
      'echo x > leak.txt && git add leak.txt && git commit -qm "Add leak.txt"',
      `printf '{"type":"result","subtype":"success","is_error":false,"result":"%s"}\\n' "${said}"`,
      `echo "stderr ${said}" >&2`,
    ].join(' && ');
    const spec = w.spec({
      agent: {
        command: ['sh', '-c', script],
        env: { SIGNING_KEY: 'planted-signing-key-0001', DB_PASS: 'planted-db-pass-0002' },
      },
    });
    const { result, lines } = await w.run(spec);
    expect(result).toMatchObject({ ok: true, summary: 'token ***, signing ***, db ***' });
    const comments = w.fake.getComments(REPO, w.issue).map((c) => c.body);
    expect(comments).toEqual([
      `Hand-off from claude-a: PR #${result.prNumber} — token ***, signing ***, db ***`,
    ]);
    const pulls = w.fake.getPulls(REPO).flatMap((p) => [p.title, p.body]);
    const everything = [...comments, ...pulls, ...lines].join('\n');
    expect(lines).toContain('stderr token ***, signing ***, db ***');
    for (const s of [TOKEN, 'planted-signing-key-0001', 'planted-db-pass-0002'])
      expect(everything).not.toContain(s);
  });
});
