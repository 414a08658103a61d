import { createHash } from 'node:crypto';
import { makeRedactor } from '../../../core/secrets/index.js';
import type { EngineEvent, EventSink } from '../../../core/engine/events.js';
import type { Attempt } from '../../../core/model/attempt.js';
import { issueKey, type IssueRef, type RepoRef } from '../../../core/model/refs.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { StateStore } from '../../../core/ports/state-store.js';
import {
  attemptCardReply,
  handoffReply,
  logBatchReply,
  type AttemptCard,
  type CardState,
} from '../../../bot/render/attempt-card.js';
import { textReply, type Reply } from '../../../bot/reply.js';
import type { ChatOutbox } from '../../../bot/transport.js';
import { ThreadRecords, type ThreadRecord } from './thread-records.js';

/** One platform k3sc posts on: its outbox and the channel of each repository. */
export interface ChatPlatform {
  readonly outbox: ChatOutbox;
  /** The repository's channel (`channels_by_repo`, else `default_channel`), or none. */
  readonly channelFor: (repo: RepoRef) => string | undefined;
}

export interface AttemptThreadsOptions {
  readonly platforms: readonly ChatPlatform[];
  readonly store: StateStore;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The one secrets rule with the configured values (log snippets in threads). */
  readonly redact?: (text: string) => string;
  /** Called with each review hand-off (the alert router posts it to its route's channel). */
  readonly onHandoff?: (ref: IssueRef, reply: Reply, attempt: string) => void;
}

/** What an event means for an attempt's root message, if anything. */
const cardStateOf = (e: EngineEvent): CardState | undefined => {
  if (e.type === 'attempt-started') return 'running';
  if (e.type === 'alert' && e.kind === 'parked') return 'parked';
  if (e.type !== 'transition') return undefined;
  if (e.to === 'needs-review') return 'needs-review';
  if (e.to === 'needs-human') return 'needs-human';
  if (e.to === 'ready' || e.to === 'none') return undefined;
  return e.attempt === undefined ? undefined : 'claimed';
};

/**
 * The per-attempt thread: one root message per attempt in its repository's channel, edited
 * as the attempt moves (claimed → running → PR opened → needs-review → review → needs-human /
 * failed / parked), with hand-offs and results in its thread. The attempt → message map is a
 * `chat-message` record, so a restarted serve edits the same message. Events of one issue are
 * handled in order; a failing platform is logged, never thrown into the engine.
 */
export class AttemptThreads implements EventSink {
  private readonly records: ThreadRecords;
  private chain: Promise<void> = Promise.resolve();
  private readonly redact: (text: string) => string;

  constructor(private readonly opts: AttemptThreadsOptions) {
    this.records = new ThreadRecords(opts.store, opts.now);
    this.redact = opts.redact ?? makeRedactor([]);
  }

  emit(e: EngineEvent): void {
    if (e.type === 'scan' || !('ref' in e) || e.ref === undefined) return;
    const ref = e.ref;
    this.chain = this.chain
      .then(() => this.handle(e, ref))
      .catch((err: unknown) =>
        this.opts.logger.warn({ err, event: e.type }, 'chat: attempt thread update failed'),
      );
  }

  /** Resolves when every event so far has been handled (tests, shutdown). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** The newest thread of an issue on one platform (log follow, take). */
  thread(platform: string, ref: IssueRef): Promise<ThreadRecord | undefined> {
    return this.records.latest(platform, ref);
  }

  /** Moves an issue's newest card to `state` on every platform (e.g. `review` after a take). */
  async mark(ref: IssueRef, state: CardState, extra: Partial<AttemptCard> = {}): Promise<void> {
    for (const p of this.opts.platforms) {
      const rec = await this.records.latest(p.outbox.platform, ref);
      if (rec) await this.update(p, rec, state, extra);
    }
  }

  private async handle(e: EngineEvent, ref: IssueRef): Promise<void> {
    if (e.type === 'attempt-finished') return this.finished(ref, e.attempt, e.ok);
    let state = cardStateOf(e);
    if (!state) return;
    const attemptName = 'attempt' in e ? e.attempt : undefined;
    const attempt = attemptName === undefined ? undefined : await this.opts.store.getAttempt(attemptName);
    // A review attempt moves the issue's thread (its implementing attempt's) to `review`.
    const review = attempt?.kind === 'review' || (e.type === 'transition' && e.from === 'needs-review');
    if (review && (state === 'claimed' || state === 'running')) state = 'review';
    for (const p of this.opts.platforms) {
      const rec =
        attemptName !== undefined && !review
          ? await this.ensure(p, ref, attemptName, e.type === 'attempt-started' ? e.slot : undefined)
          : await this.records.latest(p.outbox.platform, ref);
      if (!rec) continue;
      const pr = await this.prOf(rec.card.attempt);
      const extra = { ...(pr ? { pr } : {}), ...(review && attempt ? { reviewer: attempt.slot } : {}) };
      await this.update(p, rec, state, extra);
      if (state === 'needs-review' && pr && !rec.handedOff) await this.handoff(p, rec, ref, pr);
      if (state === 'needs-human' && e.type === 'transition')
        await this.say(p, rec, textReply('needs a human', `${issueKey(ref)} needs a human (by ${e.by})`));
    }
  }

  private async finished(ref: IssueRef, attempt: string, ok: boolean): Promise<void> {
    const a = await this.opts.store.getAttempt(attempt);
    for (const p of this.opts.platforms) {
      const own = await this.records.get(p.outbox.platform, attempt);
      const rec =
        own ?? (a?.kind === 'review' ? await this.records.latest(p.outbox.platform, ref) : undefined);
      if (!rec) continue;
      const summary = a?.result?.summary ?? a?.reason ?? (ok ? 'finished' : 'failed');
      const kind = a?.kind === 'review' ? 'review' : 'result';
      await this.say(p, rec, textReply(ok ? kind : 'failed', `${attempt}: ${summary}`));
      const tail = (a?.lastLines ?? []).slice(-10).map(this.redact);
      if (tail.length > 0) await this.say(p, rec, logBatchReply(attempt, issueKey(ref), tail, true));
      if (!own) continue;
      const pr = a?.prNumber !== undefined ? { number: a.prNumber, ...prUrl(a) } : undefined;
      const live = rec.card.state === 'running' || rec.card.state === 'claimed';
      const state = live ? (ok ? (pr ? 'pr-opened' : 'done') : 'failed') : rec.card.state;
      await this.update(p, rec, state, pr ? { pr } : {});
      // The labels (needs-review) are written before the record learns its PR: hand off now.
      if (pr && rec.card.state === 'needs-review' && !rec.handedOff) await this.handoff(p, rec, ref, pr);
    }
  }

  private async prOf(attempt: string): Promise<AttemptCard['pr']> {
    const a = await this.opts.store.getAttempt(attempt);
    return a?.prNumber === undefined ? undefined : { number: a.prNumber, ...prUrl(a) };
  }

  private async handoff(
    p: ChatPlatform,
    rec: ThreadRecord,
    ref: IssueRef,
    pr: NonNullable<AttemptCard['pr']>,
  ): Promise<void> {
    const a = await this.opts.store.getAttempt(rec.card.attempt);
    const reply = handoffReply({
      issue: issueKey(ref),
      pr,
      ...(a?.result?.summary ? { summary: a.result.summary } : {}),
    });
    await this.say(p, rec, reply);
    const fresh = (await this.records.get(rec.platform, rec.card.attempt)) ?? rec;
    await this.records.put({ ...fresh, handedOff: true });
    this.opts.onHandoff?.(ref, reply, rec.card.attempt);
  }

  /** The attempt's thread record on `p`, posting its root message first if there is none. */
  private async ensure(
    p: ChatPlatform,
    ref: IssueRef,
    attempt: string,
    slot: string | undefined,
  ): Promise<ThreadRecord | undefined> {
    const platform = p.outbox.platform;
    const known = await this.records.get(platform, attempt);
    if (known) return known;
    const channel = p.channelFor(ref.repo);
    if (channel === undefined) return undefined;
    const card: AttemptCard = {
      issue: issueKey(ref),
      attempt,
      ...(slot ? { slot } : await this.slotOf(attempt)),
      state: 'claimed',
      history: [{ state: 'claimed', at: this.opts.now().toISOString() }],
    };
    const message = await this.postRoot(p, channel, attempt, card);
    const rec: ThreadRecord = { platform, message, card };
    const created = await this.records.create(rec);
    await this.records.dropIntent(platform, attempt);
    return created ? rec : this.records.get(platform, attempt);
  }

  /**
   * Posts the root, or finds the one a crashed serve posted: an intent record first, a marker
   * on the message (Slack metadata, Discord nonce and footer), and with an intent left over, a
   * look through the channel's recent messages before posting again.
   */
  private async postRoot(p: ChatPlatform, channel: string, attempt: string, card: AttemptCard) {
    const { outbox } = p;
    const reply = attemptCardReply(card);
    if (!outbox.postMarked || !outbox.findMarked) return outbox.post({ channel }, reply);
    const marker = rootMarker(attempt);
    if ((await this.records.intent(outbox.platform, attempt)) !== undefined) {
      const found = await outbox.findMarked(channel, marker);
      if (found) {
        this.opts.logger.info({ attempt, channel }, 'chat: found the root a previous serve posted');
        return found;
      }
    } else await this.records.createIntent(outbox.platform, attempt, marker);
    return outbox.postMarked({ channel }, reply, marker);
  }

  private async slotOf(attempt: string): Promise<{ slot?: string }> {
    const a: Attempt | undefined = await this.opts.store.getAttempt(attempt);
    return a ? { slot: a.slot } : {};
  }

  private async update(
    p: ChatPlatform,
    rec: ThreadRecord,
    state: CardState,
    extra: Partial<AttemptCard>,
  ): Promise<void> {
    const fresh = (await this.records.get(rec.platform, rec.card.attempt)) ?? rec;
    if (fresh.card.state === state && Object.keys(extra).length === 0) return;
    const history =
      fresh.card.state === state
        ? fresh.card.history
        : [...fresh.card.history, { state, at: this.opts.now().toISOString() }];
    const next: ThreadRecord = { ...fresh, card: { ...fresh.card, ...extra, state, history } };
    await this.records.put(next);
    await p.outbox.edit(next.message, attemptCardReply(next.card));
  }

  private async say(p: ChatPlatform, rec: ThreadRecord, reply: Reply): Promise<void> {
    await p.outbox.post({ channel: rec.message.channel, thread: rec.message.id }, reply);
  }
}

/** A short marker for an attempt's root message (Discord nonces are at most 25 characters). */
export const rootMarker = (attempt: string): string =>
  `k3sc-${createHash('sha256').update(attempt).digest('hex').slice(0, 19)}`;

const prUrl = (a: Attempt): { url?: string } => (a.result?.prUrl ? { url: a.result.prUrl } : {});
