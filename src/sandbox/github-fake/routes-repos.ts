import {
  ghError,
  notFound,
  ok,
  type FakeRequest,
  type FakeResponse,
  type RouteContext,
} from './http-types.js';
import type { IssueRecord, RepoRecord } from './records.js';
import type { Router } from './router.js';
import { repoJson, userJson } from './serializers.js';

/** Resolves `{owner}/{repo}` from the params, or answers 404. */
export const withRepo =
  (fn: (repo: RepoRecord, req: FakeRequest, ctx: RouteContext) => FakeResponse) =>
  (req: FakeRequest, ctx: RouteContext): FakeResponse => {
    const repo = ctx.state.findRepo(req.params.owner ?? '', req.params.repo ?? '');
    return repo ? fn(repo, req, ctx) : notFound();
  };

/** Resolves `{owner}/{repo}` and `{number}` (issue or PR), or answers 404. */
export const withIssue =
  (fn: (repo: RepoRecord, issue: IssueRecord, req: FakeRequest, ctx: RouteContext) => FakeResponse) =>
  (req: FakeRequest, ctx: RouteContext): FakeResponse => {
    const repo = ctx.state.findRepo(req.params.owner ?? '', req.params.repo ?? '');
    const issue = repo?.issues.get(Number(req.params.number));
    return repo && issue ? fn(repo, issue, req, ctx) : notFound();
  };

/** GitHub's legacy `permission` field folds maintain into write and triage into read. */
const legacyPermission = (role: string): string =>
  role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;

export const addRepoRoutes = (router: Router): void => {
  router.add('GET', '/rate_limit', (_req, ctx) => {
    const core = { ...ctx.rateLimit(), resource: 'core' };
    return ok({ resources: { core }, rate: core });
  });

  // The authenticated user (the token's login), as GitHub's GET /user answers it.
  router.add('GET', '/user', (req) => ok(userJson(req.actor)));

  router.add(
    'GET',
    '/repos/{owner}/{repo}',
    withRepo((repo, req) => ok(repoJson(repo, req.origin), `repo:${repo.version}`)),
  );

  // Collaborators get their role. Non-collaborators get `read` on public repos and `none` on private ones.
  router.add(
    'GET',
    '/repos/{owner}/{repo}/collaborators/{user}/permission',
    withRepo((repo, req) => {
      const login = req.params.user ?? '';
      if (login === '') return ghError(404, 'Not Found');
      const role = repo.collaborators.get(login.toLowerCase()) ?? (repo.private ? 'none' : 'read');
      return ok({ permission: legacyPermission(role), role_name: role, user: userJson(login) });
    }),
  );
};
