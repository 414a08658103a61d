import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addAppRoutes, FakeAppAuth } from './app-auth.js';
import { Counters } from './counters.js';
import { FaultInjector } from './faults.js';
import { Router } from './router.js';
import { addIssueRoutes } from './routes-issues.js';
import { addLabelRoutes } from './routes-labels.js';
import { addPullRoutes } from './routes-pulls.js';
import { addOAuthRoutes, FakeOAuth } from './routes-oauth.js';
import { addRepoRoutes } from './routes-repos.js';
import { createRequestListener } from './server.js';
import { FakeState } from './state.js';
import type {
  ChangeListener,
  FakeComment,
  FakeCounters,
  FakeIssue,
  FaultSpec,
  GitHubFakeOptions,
  IssueInit,
  LabelEvent,
  Permission,
  PullInit,
  RepoInit,
  RepoInput,
} from './types.js';

/** A running GitHub fake: an HTTP server plus synchronous seeding and inspection. */
export interface GitHubFake {
  /** baseUrl for Octokit, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  close(): Promise<void>;

  addRepo(init: RepoInit): void;
  addIssue(repo: RepoInput, init: IssueInit): number;
  addPull(repo: RepoInput, init: PullInit): number;
  addCollaborator(repo: RepoInput, login: string, permission: Permission): void;
  /** Replaces the labels, recording labeled/unlabeled events by `actor` (default `k3sc-bot`). */
  setLabels(repo: RepoInput, number: number, labels: readonly string[], actor?: string): void;
  /** Adds `label` as `actor` and records a `labeled` event (even if the label was already there). */
  applyLabelAs(repo: RepoInput, number: number, label: string, actor: string): void;
  closeIssue(repo: RepoInput, number: number, actor?: string): void;
  getIssue(repo: RepoInput, number: number): FakeIssue | undefined;
  getComments(repo: RepoInput, number: number): FakeComment[];
  getPulls(repo: RepoInput): FakeIssue[];
  labelEvents(repo: RepoInput, number: number): LabelEvent[];

  readonly counters: FakeCounters;
  resetCounters(): void;
  injectFault(spec: FaultSpec): void;
  /** Faults still armed (sum of remaining `times`). */
  pendingFaults(): number;
  clearFaults(): void;
  /** An OAuth app for the web flow (`/login/oauth/authorize`, `/login/oauth/access_token`). */
  addOAuthApp(app: { clientId: string; clientSecret: string }): void;
  /** The login the authorize page answers as without asking (undefined: it shows a form). */
  setOAuthLogin(login: string | undefined): void;
  /** `team` is `org/team-slug`; GET /orgs/{org}/teams/{team}/memberships/{login} answers `state`. */
  addTeamMember(team: string, login: string, state?: 'active' | 'pending'): void;
  /** Called after every mutation, from HTTP or from the seeding API. Returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
}

/** Starts the fake on 127.0.0.1 (port 0 = any free port). */
export const startGitHubFake = async (opts: GitHubFakeOptions = {}): Promise<GitHubFake> => {
  const now = opts.now ?? ((): Date => new Date());
  const state = new FakeState(now);
  const counters = new Counters(opts.rateLimit ?? 5000, now);
  const faults = new FaultInjector();
  const router = new Router();
  addRepoRoutes(router);
  addIssueRoutes(router);
  addLabelRoutes(router);
  addPullRoutes(router);
  const apps = new FakeAppAuth(opts.apps ?? {});
  addAppRoutes(router, apps, now);
  const oauth = new FakeOAuth();
  addOAuthRoutes(router, oauth, now);

  let origin = '';
  const listener = createRequestListener({
    router,
    counters,
    faults,
    tokens: opts.tokens,
    apps,
    oauth,
    now,
    origin: () => origin,
    ctx: { state, perPageMax: opts.perPageMax ?? 100, rateLimit: () => counters.rateLimit() },
  });
  const server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    addRepo: (init) => state.addRepo(init),
    addIssue: (repo, init) => state.addIssue(repo, init),
    addPull: (repo, init) => state.addPull(repo, init),
    addCollaborator: (repo, login, permission) => state.addCollaborator(repo, login, permission),
    setLabels: (repo, number, labels, actor = 'k3sc-bot') => state.setLabels(repo, number, labels, actor),
    applyLabelAs: (repo, number, label, actor) => state.applyLabelAs(repo, number, label, actor),
    closeIssue: (repo, number, actor) => state.closeIssue(repo, number, actor),
    getIssue: (repo, number) => state.getIssue(repo, number),
    getComments: (repo, number) => state.getComments(repo, number),
    getPulls: (repo) => state.getPulls(repo),
    labelEvents: (repo, number) => state.labelEvents(repo, number),
    get counters() {
      return counters.snapshot();
    },
    resetCounters: () => counters.resetAll(),
    injectFault: (spec) => faults.inject(spec),
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    onChange: (l) => state.onChange(l),
    addOAuthApp: (app) => oauth.addApp(app.clientId, app.clientSecret),
    setOAuthLogin: (login) => {
      oauth.login = login;
    },
    addTeamMember: (team, login, st) => oauth.addTeamMember(team, login, st),
  };
};
