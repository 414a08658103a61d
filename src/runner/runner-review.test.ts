import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from './__tests__/build-runner.js';
import { REPO, startWorld, type RunnerWorld } from './__tests__/runner-harness.js';

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

describe('runner: review attempt', () => {
  it('checks out the PR branch, runs the reviewer and posts a review hand-off on the PR', async () => {
    const impl = await w.run(w.spec());
    const pr = impl.result.prNumber!;
    const spec = w.spec({
      attemptName: 'acme-widgets-1-2',
      kind: 'review',
      family: 'codex',
      slot: 'codex-b',
      workspace: `${w.dirs.root}/workspaces/codex-b`,
    });
    const { result, lines } = await w.run(spec);
    expect(result).toMatchObject({ ok: true, prNumber: pr, prUrl: impl.result.prUrl });
    expect(result.summary).toContain('APPROVE');
    expect(lines).toContain(`[k3sc] branch issue-${w.issue}: continuing from origin/issue-${w.issue}`);
    const onPr = w.fake.getComments(REPO, pr).map((c) => c.body);
    expect(onPr).toEqual([
      `Review hand-off from codex-b: Reviewed PR #${pr}: the notes file is present and well formed. APPROVE.`,
    ]);
    expect(w.fake.getPulls(REPO)).toHaveLength(1);
  });

  it('fails without an open PR for the branch, before running the agent', async () => {
    const { result, lines } = await w.run(w.spec({ kind: 'review' }));
    expect(result).toEqual({
      ok: false,
      reason: `no open pull request for branch issue-${w.issue} to review`,
    });
    expect(lines.some((l) => l.startsWith('[k3sc] running the agent'))).toBe(false);
  });

  it('does not post for a reviewer that commented itself', async () => {
    const impl = await w.run(w.spec());
    const pr = impl.result.prNumber!;
    const post = `fetch(process.argv[1]+'/repos/acme/widgets/issues/${pr}/comments',{method:'POST',headers:{authorization:'token '+process.env.GH_TOKEN,'content-type':'application/json'},body:JSON.stringify({body:'REQUEST CHANGES: needs tests'})}).then(r=>process.exit(r.ok?0:1))`;
    const { result } = await w.run(
      w.spec({
        kind: 'review',
        attemptName: 'r',
        agent: { command: [process.execPath, '-e', post, w.fake.url] },
      }),
    );
    expect(result.ok).toBe(true);
    expect(w.fake.getComments(REPO, pr).map((c) => c.body)).toEqual(['REQUEST CHANGES: needs tests']);
  });
});
