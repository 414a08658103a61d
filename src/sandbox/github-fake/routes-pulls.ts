import { ghError, missingField, notFound, ok, type FakeRequest } from './http-types.js';
import { paginate } from './pagination.js';
import { parseHead, type IssueRecord, type RepoRecord } from './records.js';
import type { Router } from './router.js';
import { withIssue, withRepo } from './routes-repos.js';
import { pullJson } from './serializers.js';

const pullFilter = (repo: RepoRecord, req: FakeRequest) => {
  const state = req.query.get('state') ?? 'open';
  const headRaw = req.query.get('head');
  const head = headRaw ? parseHead(headRaw, repo.owner) : undefined;
  const base = req.query.get('base');
  return (i: IssueRecord): boolean =>
    i.pull !== undefined &&
    (state === 'all' || i.state === state) &&
    (!head || (i.pull.head === head.ref && i.pull.headOwner.toLowerCase() === head.owner.toLowerCase())) &&
    (!base || i.pull.base === base);
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const addPullRoutes = (router: Router): void => {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls',
    withRepo((repo, req, ctx) => {
      const sign = req.query.get('direction') === 'asc' ? 1 : -1;
      const all = [...repo.issues.values()]
        .filter(pullFilter(repo, req))
        .sort((a, b) => sign * (a.number - b.number));
      const page = paginate(all, req, ctx.perPageMax);
      const body = page.items.map((i) => pullJson(repo, i, req.origin));
      return { ...ok(body, `repo:${repo.version}`), ...(page.link ? { headers: { link: page.link } } : {}) };
    }),
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls/{number}',
    withIssue((repo, issue, req) =>
      issue.pull
        ? ok(pullJson(repo, issue, req.origin), `issue:${issue.number}:${issue.version}`)
        : notFound(),
    ),
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/pulls',
    withRepo((repo, req, ctx) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const title = str(body.title);
      const headRaw = str(body.head);
      const base = str(body.base);
      if (!title) return missingField('PullRequest', 'title');
      if (!headRaw) return missingField('PullRequest', 'head');
      if (!base) return missingField('PullRequest', 'base');
      const head = parseHead(headRaw, repo.owner);
      const duplicate = [...repo.issues.values()].some(
        (i) =>
          i.state === 'open' &&
          i.pull?.head === head.ref &&
          i.pull.headOwner.toLowerCase() === head.owner.toLowerCase(),
      );
      if (duplicate) {
        const message = `A pull request already exists for ${head.owner}:${head.ref}.`;
        return ghError(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', message }]);
      }
      const number = ctx.state.addPull(repo, {
        title,
        head: `${head.owner}:${head.ref}`,
        base,
        author: req.actor,
        body: str(body.body) ?? '',
      });
      const created = repo.issues.get(number);
      return created ? ok(pullJson(repo, created, req.origin), undefined, 201) : notFound();
    }),
  );
};
