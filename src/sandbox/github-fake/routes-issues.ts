import { missingField, ok, type FakeRequest } from './http-types.js';
import { paginate } from './pagination.js';
import type { IssueRecord } from './records.js';
import type { Router } from './router.js';
import { withIssue, withRepo } from './routes-repos.js';
import { commentJson, eventJson, issueJson } from './serializers.js';

const byQueryOrder = (req: FakeRequest) => {
  const field = req.query.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
  const sign = req.query.get('direction') === 'asc' ? 1 : -1;
  return (a: IssueRecord, b: IssueRecord): number =>
    sign * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.number - b.number);
};

const stateFilter = (req: FakeRequest) => {
  const state = req.query.get('state') ?? 'open';
  return (i: IssueRecord): boolean => state === 'all' || i.state === state;
};

const withPageHeaders = <T>(page: { items: T[]; link?: string }, scope: string, body: unknown) => ({
  ...ok(body, scope),
  ...(page.link ? { headers: { link: page.link } } : {}),
});

export const addIssueRoutes = (router: Router): void => {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues',
    withRepo((repo, req, ctx) => {
      const all = [...repo.issues.values()].filter(stateFilter(req)).sort(byQueryOrder(req));
      const page = paginate(all, req, ctx.perPageMax);
      const body = page.items.map((i) => issueJson(repo, i, req.origin));
      return withPageHeaders(page, `repo:${repo.version}`, body);
    }),
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{number}',
    withIssue((repo, issue, req) =>
      ok(issueJson(repo, issue, req.origin), `issue:${issue.number}:${issue.version}`),
    ),
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{number}/events',
    withIssue((_repo, issue, req, ctx) => {
      const page = paginate(issue.events, req, ctx.perPageMax);
      return withPageHeaders(page, `issue:${issue.number}:${issue.version}`, page.items.map(eventJson));
    }),
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{number}/comments',
    withIssue((repo, issue, req, ctx) => {
      const page = paginate(issue.comments, req, ctx.perPageMax);
      const body = page.items.map((c) => commentJson(repo, issue.number, c, req.origin));
      return withPageHeaders(page, `issue:${issue.number}:${issue.version}`, body);
    }),
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues/{number}/comments',
    withIssue((repo, issue, req, ctx) => {
      const text = (req.body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text === '') return missingField('IssueComment', 'body');
      const comment = ctx.state.addComment(repo, issue.number, text, req.actor);
      return ok(commentJson(repo, issue.number, comment, req.origin), undefined, 201);
    }),
  );
};
