import { K3scError } from '../../core/errors.js';
import {
  copyIssue,
  isoSeconds,
  keyOfRecord,
  parseHead,
  repoKeyOf,
  type IssueRecord,
  type RepoRecord,
} from './records.js';
import type {
  ChangeListener,
  FakeChange,
  FakeComment,
  FakeIssue,
  IssueInit,
  LabelEvent,
  Permission,
  PullInit,
  RepoInit,
  RepoInput,
} from './types.js';

const toIso = (v: string | Date | undefined, now: Date): string =>
  v === undefined ? isoSeconds(now) : isoSeconds(typeof v === 'string' ? new Date(v) : v);

/** The fake's repositories, issues, PRs, labels, comments and label events. */
export class FakeState {
  private readonly repos = new Map<string, RepoRecord>();
  private readonly listeners = new Set<ChangeListener>();
  private nextId = 1000;

  constructor(readonly now: () => Date) {}

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addRepo(init: RepoInit): void {
    const key = repoKeyOf(init.owner, init.name);
    if (this.repos.has(key))
      throw new K3scError('conflict', `fake repo ${init.owner}/${init.name} already exists`);
    this.repos.set(key, {
      owner: init.owner,
      name: init.name,
      defaultBranch: init.defaultBranch ?? 'main',
      cloneUrl: init.cloneUrl ?? `https://github.com/${init.owner}/${init.name}.git`,
      private: init.private ?? false,
      nextNumber: 1,
      issues: new Map(),
      collaborators: new Map(),
      version: 0,
    });
  }

  findRepo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(repoKeyOf(owner, name));
  }

  repo(input: RepoInput): RepoRecord {
    const [owner, name] = typeof input === 'string' ? input.split('/') : [input.owner, input.name];
    const found = this.findRepo(owner ?? '', name ?? '');
    if (!found)
      throw new K3scError(
        'not_found',
        `fake has no repo ${String(owner)}/${String(name)}; call addRepo first`,
      );
    return found;
  }

  issue(input: RepoInput, number: number): IssueRecord {
    const found = this.repo(input).issues.get(number);
    if (!found) throw new K3scError('not_found', `fake repo has no issue or PR #${number}`);
    return found;
  }

  newId(): number {
    return ++this.nextId;
  }

  addIssue(input: RepoInput, init: IssueInit): number {
    return this.insert(this.repo(input), init, undefined);
  }

  addPull(input: RepoInput, init: PullInit): number {
    const repo = this.repo(input);
    const head = parseHead(init.head, repo.owner);
    return this.insert(repo, init, {
      head: head.ref,
      headOwner: head.owner,
      base: init.base ?? repo.defaultBranch,
    });
  }

  addCollaborator(input: RepoInput, login: string, permission: Permission): void {
    this.repo(input).collaborators.set(login.toLowerCase(), permission);
  }

  /** Adds labels; records a `labeled` event for each one that was not there. Returns the new label list. */
  addLabels(input: RepoInput, number: number, labels: readonly string[], actor: string): string[] {
    const repo = this.repo(input);
    const issue = this.issue(input, number);
    const added = [...new Set(labels)].filter((l) => !issue.labels.includes(l));
    if (added.length === 0) return [...issue.labels];
    issue.labels.push(...added);
    for (const label of added) this.recordLabel(repo, issue, 'labeled', label, actor);
    return [...issue.labels];
  }

  /** Adds a label as `actor`, recording a `labeled` event even when the label was already there. */
  applyLabelAs(input: RepoInput, number: number, label: string, actor: string): void {
    const repo = this.repo(input);
    const issue = this.issue(input, number);
    if (!issue.labels.includes(label)) issue.labels.push(label);
    this.recordLabel(repo, issue, 'labeled', label, actor);
  }

  /** Returns false when the label was not on the issue. */
  removeLabel(input: RepoInput, number: number, label: string, actor: string): boolean {
    const repo = this.repo(input);
    const issue = this.issue(input, number);
    const at = issue.labels.indexOf(label);
    if (at < 0) return false;
    issue.labels.splice(at, 1);
    this.recordLabel(repo, issue, 'unlabeled', label, actor);
    return true;
  }

  /** Replaces the label list, recording the difference as events by `actor`. */
  setLabels(input: RepoInput, number: number, labels: readonly string[], actor: string): void {
    for (const l of this.issue(input, number).labels.filter((x) => !labels.includes(x))) {
      this.removeLabel(input, number, l, actor);
    }
    this.addLabels(input, number, labels, actor);
  }

  addComment(input: RepoInput, number: number, body: string, author: string): FakeComment {
    const repo = this.repo(input);
    const issue = this.issue(input, number);
    const comment: FakeComment = { id: this.newId(), author, body, createdAt: isoSeconds(this.now()) };
    issue.comments.push(comment);
    this.touch(repo, issue);
    this.emit({ event: 'issue_comment', action: 'created', repo: keyOfRecord(repo), number, actor: author });
    return comment;
  }

  closeIssue(input: RepoInput, number: number, actor = 'k3sc-bot'): void {
    const repo = this.repo(input);
    const issue = this.issue(input, number);
    if (issue.state === 'closed') return;
    issue.state = 'closed';
    issue.closedAt = isoSeconds(this.now());
    this.touch(repo, issue);
    const event = issue.pull ? 'pull_request' : 'issues';
    this.emit({ event, action: 'closed', repo: keyOfRecord(repo), number, actor });
  }

  getIssue(input: RepoInput, number: number): FakeIssue | undefined {
    const found = this.repo(input).issues.get(number);
    return found ? copyIssue(found) : undefined;
  }

  getComments(input: RepoInput, number: number): FakeComment[] {
    return this.issue(input, number).comments.map((c) => ({ ...c }));
  }

  getPulls(input: RepoInput): FakeIssue[] {
    return [...this.repo(input).issues.values()].filter((i) => i.pull).map(copyIssue);
  }

  labelEvents(input: RepoInput, number: number): LabelEvent[] {
    return this.issue(input, number).events.map((e) => ({ ...e }));
  }

  private insert(repo: RepoRecord, init: IssueInit | PullInit, pull: IssueRecord['pull']): number {
    const number = repo.nextNumber++;
    const createdAt = toIso(init.createdAt, this.now());
    const record: IssueRecord = {
      number,
      title: init.title,
      body: init.body ?? '',
      author: init.author,
      labels: [],
      state: 'open',
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      ...(pull ? { pull } : {}),
      events: [],
      comments: [],
      version: 0,
    };
    repo.issues.set(number, record);
    this.touch(repo, record, createdAt);
    const event = pull ? 'pull_request' : 'issues';
    this.emit({ event, action: 'opened', repo: keyOfRecord(repo), number, actor: init.author });
    for (const label of init.labels ?? []) this.addLabels(repo, number, [label], init.author);
    return number;
  }

  private recordLabel(
    repo: RepoRecord,
    issue: IssueRecord,
    event: 'labeled' | 'unlabeled',
    label: string,
    actor: string,
  ): void {
    const createdAt = isoSeconds(this.now());
    issue.events.push({ id: this.newId(), event, actor, label, createdAt });
    this.touch(repo, issue);
    const kind = issue.pull ? 'pull_request' : 'issues';
    this.emit({ event: kind, action: event, repo: keyOfRecord(repo), number: issue.number, actor, label });
  }

  private touch(repo: RepoRecord, issue: IssueRecord, at?: string): void {
    repo.version++;
    issue.version++;
    issue.updatedAt = at ?? isoSeconds(this.now());
  }

  private emit(change: FakeChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A failing listener must not break the fake's request handling.
      }
    }
  }
}
