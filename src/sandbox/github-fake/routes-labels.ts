import { ghError, missingField, ok } from './http-types.js';
import type { Router } from './router.js';
import { withIssue } from './routes-repos.js';
import { labelJson } from './serializers.js';

/** Accepts `{labels: [...]}` or a bare array; items are names or `{name}` objects. */
const labelNames = (body: unknown): string[] | undefined => {
  const list: unknown = Array.isArray(body) ? body : (body as { labels?: unknown } | undefined)?.labels;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const names = list.map((item: unknown) =>
    typeof item === 'string' ? item : (item as { name?: unknown } | null)?.name,
  );
  return names.every((n): n is string => typeof n === 'string' && n !== '') ? names : undefined;
};

export const addLabelRoutes = (router: Router): void => {
  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues/{number}/labels',
    withIssue((repo, issue, req, ctx) => {
      const names = labelNames(req.body);
      if (!names) return missingField('Label', 'labels');
      const labels = ctx.state.addLabels(repo, issue.number, names, req.actor);
      return ok(labels.map(labelJson));
    }),
  );

  router.add(
    'DELETE',
    '/repos/{owner}/{repo}/issues/{number}/labels/{name}',
    withIssue((repo, issue, req, ctx) => {
      const removed = ctx.state.removeLabel(repo, issue.number, req.params.name ?? '', req.actor);
      if (!removed) return ghError(404, 'Label does not exist');
      return ok(issue.labels.map(labelJson));
    }),
  );
};
