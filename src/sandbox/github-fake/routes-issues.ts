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

/** `labels` of a create: names or `{name}` objects; undefined when malformed. */
const createLabels = (value: unknown): string[] | undefined => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const names = value.map((l: unknown) =>
    typeof l === 'string' ? l : (l as { name?: unknown } | null)?.name,
  );
  return names.every((n): n is string => typeof n === 'string' && n !== '') ? names : undefined;
};

export const addIssueRoutes = (router: Router): void => {
  // Creates an issue as the token's user; labels are applied by that user (labeled events).
  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues',
    withRepo((repo, req, ctx) => {
      const input = (req.body ?? {}) as { title?: unknown; body?: unknown; labels?: unknown };
      if (typeof input.title !== 'string' || input.title.trim() === '') return missingField('Issue', 'title');
      const labels = createLabels(input.labels);
      if (!labels) return missingField('Issue', 'labels');
      const body = typeof input.body === 'string' ? input.body : '';
      const number = ctx.state.addIssue(repo, { title: input.title, body, author: req.actor, labels });
      const issue = repo.issues.get(number);
      return issue ? ok(issueJson(repo, issue, req.origin), undefined, 201) : missingField('Issue', 'title');
    }),
  );

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
