import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import { launchMarkerText } from '../../core/domain/launch-marker.js';
import { startHarness, type Harness } from '../../testing/github-test-setup.js';
import { GitHubTracker } from './github-tracker.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const POST_ISSUES = 'POST /repos/{owner}/{repo}/issues';
const issue = { title: 'Fix the flaky test', body: 'it fails', labels: ['ready'], marker: 'new:r1' };

/** Every issue in the fake repo with that title (numbers start at 1). */
const titled = (title: string) =>
  Array.from({ length: 20 }, (_, i) => h.fake.getIssue(h.repo, i + 1)).filter((i) => i?.title === title);

describe('GitHubTracker.createIssue', () => {
  it('files the issue as k3sc with its labels (labeled by k3sc) and the hidden marker', async () => {
    const made = await h.tracker.createIssue(h.repo, issue);
    expect(made.created).toBe(true);
    const stored = h.fake.getIssue(h.repo, made.ref.number);
    expect(stored?.author).toBe('k3sc-bot');
    expect(stored?.labels).toEqual(['ready']);
    expect(stored?.body).toBe('it fails\n\n<!-- k3sc:issue:new:r1 -->');
    expect(made.url).toContain(`/issues/${made.ref.number}`);
    expect(await h.tracker.labelAppliedBy(made.ref, 'ready')).toBe('k3sc-bot');
  });

  it('a POST that GitHub stored but answered with 502 files one issue, found by its marker', async () => {
    h.fake.addIssue(h.repo, { title: 'older', author: 'alice' });
    h.fake.injectFault({ method: 'POST', path: /\/issues$/, status: 502, times: 1, afterEffect: true });
    const made = await h.tracker.createIssue(h.repo, issue);
    expect(made.created).toBe(false);
    expect(titled(issue.title)).toHaveLength(1);
    expect(h.fake.counters.byRoute[POST_ISSUES]).toBe(1);
    expect(made.ref.number).toBe(2);
  });

  it('a POST that failed before storing is retried and lands once', async () => {
    h.fake.injectFault({ method: 'POST', path: /\/issues$/, status: 502, times: 2 });
    const made = await h.tracker.createIssue(h.repo, issue);
    expect(made.created).toBe(true);
    expect(titled(issue.title)).toHaveLength(1);
  });

  it('a refused create (422, unknown repo) is not retried', async () => {
    const err: unknown = await h.tracker
      .createIssue({ owner: 'acme', name: 'nope' }, issue)
      .catch((e: unknown) => e);
    expect(isK3scError(err, 'not_found')).toBe(true);
    const bad: unknown = await h.tracker
      .createIssue(h.repo, { ...issue, title: '' })
      .catch((e: unknown) => e);
    expect(isK3scError(bad)).toBe(true);
    expect(h.fake.counters.byRoute[POST_ISSUES]).toBe(2);
  });

  it('a launched issue is listed with its launch preference (from the body marker, not the whole body)', async () => {
    const pref = { config: 'fix-flaky', family: 'codex', model: 'gpt-5', deadlineSeconds: 900 };
    const made = await h.tracker.createIssue(h.repo, {
      ...issue,
      body: `do it\n\n${launchMarkerText(pref)}`,
    });
    const fresh = new GitHubTracker({ client: h.client });
    const listed = (await fresh.listWorkItems(h.repo)).issues.find((i) => i.number === made.ref.number);
    expect(listed?.launch).toEqual(pref);
    expect(listed).not.toHaveProperty('body');
  });
});
