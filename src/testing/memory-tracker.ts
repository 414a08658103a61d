import { NotFoundError } from '../core/errors.js';
import { issueKey, repoKey, type IssueRef, type RepoRef } from '../core/model/refs.js';
import type { PullSnapshot, RepoWorkItems } from '../core/model/work-items.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import {
  commentMarker,
  type CommentOptions,
  type CreatedIssue,
  type IssueTracker,
  type LabelChange,
  type NewIssue,
} from '../core/ports/issue-tracker.js';
import { CallRecorder, type CallListener } from './memory-calls.js';
import {
  byCreated,
  toIssueSnapshot,
  toPullSnapshot,
  toView,
  WRITE_PERMISSIONS,
  type IssueSeed,
  type ItemRecord,
  type MemoryItemView,
  type Permission,
  type PullSeed,
  type RepoRecord,
} from './memory-tracker-records.js';

export type {
  IssueSeed,
  MemoryComment,
  MemoryItemView,
  MemoryLabelEvent,
  Permission,
  PullSeed,
} from './memory-tracker-records.js';

export type TrackerMethod = keyof IssueTracker;

export interface MemoryTrackerOptions {
  readonly clock?: Clock;
  /** Login k3sc writes as; its label events and comments carry it (default `k3sc-bot`). */
  readonly botLogin?: string;
  /** The bot's permission in every repo unless `setPermission` says otherwise (default `write`, like a token user). */
  readonly botPermission?: Permission;
  readonly onCall?: CallListener;
}

const keyOf = (repo: RepoRef): string => repoKey(repo).toLowerCase();

/**
 * IssueTracker in memory with GitHub's semantics: issues and PRs share one number sequence per
 * repo, label writes record `labeled`/`unlabeled` events with their actor, removing an absent
 * label is fine, unknown repos and issues are NotFound, and `listWorkItems` reports `changed`
 * only when something moved since the previous list of that repo (the 304 case).
 */
export class MemoryTracker implements IssueTracker {
  readonly botLogin: string;
  private readonly clock: Clock;
  private readonly botPermission: Permission;
  private readonly repos = new Map<string, RepoRecord>();
  private readonly calls: CallRecorder<TrackerMethod>;
  private lastStamp = 0;

  constructor(opts: MemoryTrackerOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.botLogin = opts.botLogin ?? 'k3sc-bot';
    this.botPermission = opts.botPermission ?? 'write';
    this.calls = new CallRecorder('tracker', opts.onCall);
  }

  // ---- seeding and inspection (tests) ----

  addRepo(repo: RepoRef): void {
    if (this.repos.has(keyOf(repo))) return;
    this.repos.set(keyOf(repo), {
      repo: { ...repo },
      nextNumber: 1,
      items: new Map(),
      permissions: new Map(),
      version: 0,
    });
  }

  addIssue(seed: IssueSeed): IssueRef {
    const rec = this.newItem(seed.repo, 'issue', seed.title, seed.author, '', seed.createdAt, 'open');
    for (const l of seed.labels ?? []) this.label(rec, l, seed.labeledBy ?? seed.author, 'labeled');
    return { repo: rec.repo, number: rec.number };
  }

  addPull(seed: PullSeed): IssueRef {
    const author = seed.author ?? this.botLogin;
    const rec = this.newItem(
      seed.repo,
      'pull',
      seed.title,
      author,
      seed.branch,
      seed.createdAt,
      seed.state ?? 'open',
    );
    for (const l of seed.labels ?? []) this.label(rec, l, author, 'labeled');
    return { repo: rec.repo, number: rec.number };
  }

  applyLabelAs(ref: IssueRef, label: string, actor: string): void {
    this.label(this.item(ref), label, actor, 'labeled');
  }

  removeLabelAs(ref: IssueRef, label: string, actor: string): void {
    this.label(this.item(ref), label, actor, 'unlabeled');
  }

  setState(ref: IssueRef, state: 'open' | 'closed'): void {
    const rec = this.item(ref);
    rec.state = state;
    this.touch(rec);
  }

  setPermission(repo: RepoRef, login: string, perm: Permission): void {
    this.addRepo(repo);
    this.repoRecord(repo).permissions.set(login.toLowerCase(), perm);
  }

  get(ref: IssueRef): MemoryItemView {
    return toView(this.item(ref));
  }

  labels(ref: IssueRef): string[] {
    return [...this.item(ref).labels];
  }

  /** Comment bodies as a reader sees them (hidden `<!-- k3sc:… -->` markers left out). */
  comments(ref: IssueRef): string[] {
    return this.item(ref).comments.map((c) => c.body.replace(/\n\n<!-- k3sc:[^>]* -->$/, ''));
  }

  count(method: TrackerMethod): number {
    return this.calls.count(method);
  }

  failNext(method: TrackerMethod, error?: Error): void {
    this.calls.failNext(method, error);
  }

  resetCounts(): void {
    this.calls.resetCounts();
  }

  // ---- IssueTracker ----

  listWorkItems(repo: RepoRef, signal?: AbortSignal): Promise<RepoWorkItems> {
    return this.calls.wrap('listWorkItems', repoKey(repo), '', signal, () => {
      const rec = this.repoRecord(repo);
      const changed = rec.listedVersion !== rec.version;
      rec.listedVersion = rec.version;
      const open = [...rec.items.values()].filter((i) => i.state === 'open').sort(byCreated);
      return {
        repo: { ...rec.repo },
        changed,
        issues: open.filter((i) => i.kind === 'issue').map(toIssueSnapshot),
        pulls: open.filter((i) => i.kind === 'pull').map(toPullSnapshot),
      };
    });
  }

  labelAppliedBy(ref: IssueRef, label: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.calls.wrap('labelAppliedBy', issueKey(ref), label, signal, () => {
      const wanted = label.toLowerCase();
      return this.item(ref)
        .events.filter((e) => e.action === 'labeled' && e.label.toLowerCase() === wanted)
        .at(-1)?.actor;
    });
  }

  hasWriteAccess(repo: RepoRef, login: string, signal?: AbortSignal): Promise<boolean> {
    return this.calls.wrap('hasWriteAccess', repoKey(repo), login, signal, () => {
      const rec = this.repos.get(keyOf(repo));
      const fallback: Permission =
        login.toLowerCase() === this.botLogin.toLowerCase() ? this.botPermission : 'none';
      return WRITE_PERMISSIONS.includes(rec?.permissions.get(login.toLowerCase()) ?? fallback);
    });
  }

  changeLabels(ref: IssueRef, change: LabelChange, signal?: AbortSignal): Promise<void> {
    const detail = [...change.add.map((l) => `+${l}`), ...change.remove.map((l) => `-${l}`)].join(' ');
    return this.calls.wrap('changeLabels', issueKey(ref), detail, signal, () => {
      const rec = this.item(ref);
      for (const l of change.remove) this.label(rec, l, this.botLogin, 'unlabeled');
      for (const l of change.add) this.label(rec, l, this.botLogin, 'labeled');
    });
  }

  comment(ref: IssueRef, body: string, signal?: AbortSignal, opts: CommentOptions = {}): Promise<boolean> {
    return this.calls.wrap('comment', issueKey(ref), body, signal, () => {
      const rec = this.item(ref);
      const mark = opts.marker === undefined ? undefined : commentMarker(opts.marker);
      if (mark !== undefined && rec.comments.some((c) => c.body.includes(mark))) return false;
      rec.comments.push({
        author: this.botLogin,
        body: mark === undefined ? body : `${body}\n\n${mark}`,
        at: this.stamp(),
      });
      this.touch(rec);
      return true;
    });
  }

  /** Files as the bot (labels too); a marker already on an issue of the repo returns that one. */
  createIssue(repo: RepoRef, issue: NewIssue, signal?: AbortSignal): Promise<CreatedIssue> {
    return this.calls.wrap('createIssue', repoKey(repo), issue.title, signal, () => {
      const mark = commentMarker(`issue:${issue.marker}`);
      const found = [...this.repoRecord(repo).items.values()].find((i) => i.body?.includes(mark));
      const rec = found ?? this.newItem(repo, 'issue', issue.title, this.botLogin, '', undefined, 'open');
      if (!found) {
        rec.body = `${issue.body}\n\n${mark}`;
        for (const l of issue.labels) this.label(rec, l, this.botLogin, 'labeled');
      }
      return { ref: { repo: rec.repo, number: rec.number }, url: toIssueSnapshot(rec).url, created: !found };
    });
  }

  findPullByBranch(repo: RepoRef, branch: string, signal?: AbortSignal): Promise<PullSnapshot | undefined> {
    return this.calls.wrap('findPullByBranch', repoKey(repo), branch, signal, () => {
      const prs = [...this.repoRecord(repo).items.values()].filter(
        (i) => i.kind === 'pull' && i.branch === branch,
      );
      prs.sort((a, b) => Number(a.state !== 'open') - Number(b.state !== 'open') || byCreated(b, a));
      return prs[0] ? toPullSnapshot(prs[0]) : undefined;
    });
  }

  // ---- internals ----

  private repoRecord(repo: RepoRef): RepoRecord {
    const rec = this.repos.get(keyOf(repo));
    if (!rec) throw new NotFoundError(`repository ${repoKey(repo)} not found`);
    return rec;
  }

  private item(ref: IssueRef): ItemRecord {
    const rec = this.repoRecord(ref.repo).items.get(ref.number);
    if (!rec) throw new NotFoundError(`issue ${issueKey(ref)} not found`);
    return rec;
  }

  private newItem(
    repo: RepoRef,
    kind: 'issue' | 'pull',
    title: string,
    author: string,
    branch: string,
    createdAt: string | Date | undefined,
    state: 'open' | 'closed',
  ): ItemRecord {
    this.addRepo(repo);
    const r = this.repoRecord(repo);
    const created = createdAt === undefined ? this.stamp() : new Date(createdAt).toISOString();
    const rec: ItemRecord = {
      repo: r.repo,
      number: r.nextNumber++,
      kind,
      title,
      author,
      labels: [],
      state,
      createdAt: created,
      updatedAt: created,
      branch,
      comments: [],
      events: [],
    };
    r.items.set(rec.number, rec);
    r.version++;
    return rec;
  }

  private label(rec: ItemRecord, label: string, actor: string, action: 'labeled' | 'unlabeled'): void {
    const has = rec.labels.includes(label);
    if (action === 'labeled' ? has : !has) return;
    rec.labels = action === 'labeled' ? [...rec.labels, label] : rec.labels.filter((l) => l !== label);
    rec.events.push({ action, label, actor, at: this.stamp() });
    this.touch(rec);
  }

  private touch(rec: ItemRecord): void {
    rec.updatedAt = this.stamp();
    this.repoRecord(rec.repo).version++;
  }

  /** The clock's time, but strictly increasing, so every change moves `updatedAt`. */
  private stamp(): string {
    this.lastStamp = Math.max(this.clock.now().getTime(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }
}
