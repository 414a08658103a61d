import type { AgentConfig } from '../domain/agent-config.js';
import { launchMarkerText, type LaunchPreference } from '../domain/launch-marker.js';
import { renderTemplate } from '../domain/prompt-template.js';
import { allows } from '../domain/roles.js';
import type { EngineDeps } from '../engine/deps.js';
import { K3scError } from '../errors.js';
import { issueKey, repoKey, sameRepo, type IssueRef, type RepoRef } from '../model/refs.js';
import type { Actor } from './actor.js';
import { getConfig } from './agent-configs.js';

export interface FiledIssue {
  readonly ref: IssueRef;
  /** `owner/repo#N`. */
  readonly issue: string;
  readonly url: string;
  /** Whether `ready` was applied (on the asker's behalf). */
  readonly ready: boolean;
  /** False when a retry found the issue an earlier try had filed. */
  readonly created: boolean;
  /** Things the asker should know: why it will not dispatch, why it is not labelled ready. */
  readonly warnings: readonly string[];
  readonly config?: string;
}

type FileDeps = Pick<EngineDeps, 'tracker' | 'settings' | 'store' | 'clock'>;

const MAX_TITLE = 256;

/** A configured repository named `owner/name` (case as configured), or bad_input. */
export const configuredRepo = (deps: Pick<EngineDeps, 'settings'>, text: string): RepoRef => {
  const [owner = '', name = '', extra] = text.trim().split('/');
  const repo =
    extra === undefined ? deps.settings.repos.find((r) => sameRepo(r, { owner, name })) : undefined;
  if (!repo)
    throw new K3scError(
      'bad_input',
      `${text} is not a configured repository (${deps.settings.repos.map(repoKey).join(', ') || 'none'})`,
    );
  return repo;
};

/** Why a `ready` k3sc applies on someone's behalf would not dispatch: its own login is not allowed. */
export const selfTrustWarning = (deps: Pick<EngineDeps, 'settings'>): string | undefined => {
  const login = deps.settings.botLogin;
  if (login === undefined)
    return "k3sc's own GitHub login is unknown (it could not be read at start-up); issues it files dispatch only when that login is in allowed_authors";
  const allowed = deps.settings.allowedAuthors.some((a) => a.toLowerCase() === login.toLowerCase());
  return allowed
    ? undefined
    : `k3sc files issues as ${login}, which is not in allowed_authors, so they will not dispatch: add ${login} to allowed_authors`;
};

const footer = (actor: Actor, via: string): string =>
  `---\nFiled by ${actor.display} (\`${actor.id}\`) with \`k3sc ${via}\`.`;

interface FileRequest {
  readonly repo: RepoRef;
  readonly title: string;
  readonly body: string;
  readonly ready: boolean;
  readonly marker: string;
  readonly launch?: LaunchPreference;
}

const file = async (deps: FileDeps, req: FileRequest, warnings: string[], signal?: AbortSignal) => {
  const title = req.title.trim();
  if (title === '') throw new K3scError('bad_input', 'the issue needs a title');
  if (title.length > MAX_TITLE) throw new K3scError('bad_input', `the title is over ${MAX_TITLE} characters`);
  // A marker only k3sc writes: one typed into the text (a viewer's `new --body`) is defused.
  const text = req.body.replace(/<!--\s*k3sc:/gi, '<!-- quoted-k3sc:');
  const body = req.launch ? `${text}\n\n${launchMarkerText(req.launch)}` : text;
  const made = await deps.tracker.createIssue(
    req.repo,
    { title, body, labels: req.ready ? ['ready'] : [], marker: req.marker },
    signal,
  );
  if (req.ready) {
    const w = selfTrustWarning(deps);
    if (w) warnings.push(w);
  }
  return {
    ref: made.ref,
    issue: issueKey(made.ref),
    url: made.url,
    ready: req.ready,
    created: made.created,
    warnings,
  };
};

/** `new owner/repo <title>`: files an issue; `ready` only when the asker is an operator. */
export const fileNewIssue = async (
  deps: FileDeps,
  input: { readonly repo: string; readonly title: string; readonly body?: string },
  actor: Actor,
  marker: string,
  signal?: AbortSignal,
): Promise<FiledIssue> => {
  const repo = configuredRepo(deps, input.repo);
  const ready = allows(actor.role, 'operator');
  const warnings = ready
    ? []
    : [`filed without the ready label: ${actor.display} is a ${actor.role}; an operator can label it ready`];
  const text = input.body?.trim() ? `${input.body.trim()}\n\n` : '';
  return file(
    deps,
    { repo, title: input.title, body: `${text}${footer(actor, 'new')}`, ready, marker },
    warnings,
    signal,
  );
};

const preferenceOf = (c: AgentConfig): LaunchPreference => ({
  config: c.name,
  family: c.family,
  ...(c.model === undefined ? {} : { model: c.model }),
  ...(c.deadlineSeconds === undefined ? {} : { deadlineSeconds: c.deadlineSeconds }),
  ...(c.maxTurns === undefined ? {} : { maxTurns: c.maxTurns }),
  ...(c.budgetUsd === undefined ? {} : { budgetUsd: c.budgetUsd }),
});

/**
 * `launch <config>`: files the config's issue from its template, labelled `ready` on the asker's
 * behalf, with the launch marker that makes the claim use the config's family, model and limits.
 */
export const launchConfig = async (
  deps: FileDeps,
  input: { readonly config: string; readonly title?: string; readonly body?: string },
  actor: Actor,
  marker: string,
  signal?: AbortSignal,
): Promise<FiledIssue> => {
  if (!allows(actor.role, 'operator'))
    throw new K3scError('forbidden', `launch needs the operator role; ${actor.display} is a ${actor.role}`);
  const config = await getConfig(deps, input.config, signal);
  const repo = configuredRepo(deps, config.repo);
  const title = input.title?.trim() || `${config.name}: launched by ${actor.display}`;
  const text = renderTemplate(config.template, {
    title,
    body: input.body ?? '',
    repo: repoKey(repo),
    config: config.name,
    requester: actor.display,
  });
  const body = `${text.trim()}\n\n${footer(actor, `launch ${config.name}`)}`;
  const filed = await file(
    deps,
    { repo, title, body, ready: true, marker, launch: preferenceOf(config) },
    [],
    signal,
  );
  return { ...filed, config: config.name };
};
