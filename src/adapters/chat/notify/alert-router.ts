import { createHash } from 'node:crypto';
import type { AlertKind, EngineEvent, EventSink } from '../../../core/engine/events.js';
import { isK3scError } from '../../../core/errors.js';
import { issueKey, repoKey, type IssueRef } from '../../../core/model/refs.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { StateStore } from '../../../core/ports/state-store.js';
import { textReply, type Reply } from '../../../bot/reply.js';
import type { ChatOutbox } from '../../../bot/transport.js';

/** One `alerts.routes` entry, normalised (see the config's AlertRoute). */
export interface AlertRouteRule {
  readonly channel: string;
  readonly platform: 'slack' | 'discord';
  readonly events: readonly string[];
  readonly repos: readonly string[];
  readonly families: readonly string[];
}

/** Engine alert kinds → the event names routes subscribe to. */
const EVENT_OF: Partial<Record<AlertKind, string>> = {
  'needs-human': 'needs_human',
  'attempt-failed': 'attempt_failed',
  parked: 'parked',
  'quota-exhausted': 'quota_exhausted',
  'quota-restored': 'quota_restored',
  'orphan-recovered': 'orphan_recovered',
  'lease-expired': 'lease_expired',
};

/** What one alert is: the route event, its subject, and the key that makes it happen once. */
interface Alert {
  readonly event: string;
  readonly ref?: IssueRef;
  readonly family?: string;
  readonly key: string;
  readonly reply: Reply;
}

export interface AlertRouterOptions {
  readonly routes: readonly AlertRouteRule[];
  readonly outboxes: readonly ChatOutbox[];
  readonly store: StateStore;
  readonly logger: Logger;
  readonly now: () => Date;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 24);

/**
 * Alerts routed by rule (`alerts.routes`): each route gets the events it lists, optionally only
 * of some repositories and families. Exactly one alert per event and route, also across
 * restarts and replayed events: an `alert-mark` record is created first (create is the lock);
 * a send that fails removes its mark so a later emission can try again.
 */
export class AlertRouter implements EventSink {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: AlertRouterOptions) {}

  emit(e: EngineEvent): void {
    const alert = this.alertOf(e);
    if (alert) this.enqueue(alert);
  }

  /** The review hand-off (from the attempt threads) for routes with `review_handoff`. */
  handoff(ref: IssueRef, reply: Reply, attempt: string): void {
    this.enqueue({ event: 'review_handoff', ref, key: `review_handoff:${attempt}`, reply });
  }

  settled(): Promise<void> {
    return this.chain;
  }

  private alertOf(e: EngineEvent): Alert | undefined {
    if (e.type === 'transition' && e.to === 'needs-human' && e.attempt === undefined) {
      // A person (or a tool) set the label on GitHub; the engine's own needs-human comes as an alert.
      // Once per appearance of the label: named by the issue's updatedAt when it was seen, so a
      // restart that sees the same appearance again (its cold look-back) sends nothing new.
      const key =
        e.seenAt !== undefined
          ? `needs_human:${issueKey(e.ref)}:by:${e.by}:updated:${e.seenAt}`
          : `needs_human:${issueKey(e.ref)}:by:${e.by}:at:${this.opts.now().toISOString()}`;
      return {
        event: 'needs_human',
        ref: e.ref,
        key,
        reply: textReply('needs a human', `${issueKey(e.ref)} was labelled needs-human on GitHub`),
      };
    }
    if (e.type !== 'alert') return undefined;
    const event = EVENT_OF[e.kind];
    if (!event) return undefined;
    // An attempt's alert is one per attempt (replayed after a crash: still one). Others are
    // about a PR, an issue or a family: one per message and day (quota keys are refined in send).
    const key =
      e.attempt !== undefined
        ? `${event}:${e.attempt}`
        : `${event}:${e.ref ? issueKey(e.ref) : (e.family ?? '')}:${e.message}:${this.opts.now().toISOString().slice(0, 10)}`;
    return {
      event,
      ...(e.ref ? { ref: e.ref } : {}),
      ...(e.family ? { family: e.family } : {}),
      key,
      reply: textReply(`alert: ${event.replaceAll('_', ' ')}`, e.message),
    };
  }

  private enqueue(a: Alert): void {
    this.chain = this.chain
      .then(() => this.send(a))
      .catch((err: unknown) => this.opts.logger.warn({ err, event: a.event }, 'chat: alert failed'));
  }

  private matches(r: AlertRouteRule, a: Alert): boolean {
    if (!r.events.includes(a.event)) return false;
    if (r.repos.length > 0 && (!a.ref || !r.repos.includes(repoKey(a.ref.repo).toLowerCase()))) return false;
    if (r.families.length > 0 && (!a.family || !r.families.includes(a.family))) return false;
    return true;
  }

  /**
   * A family's quota alerts alternate: exhausted (one per attempt that hit the limit), then one
   * restored per exhaustion. The family's last exhaustion is kept in an `alert-mark` record.
   */
  private async quotaKey(a: Alert): Promise<string> {
    if (!a.family || (a.event !== 'quota_exhausted' && a.event !== 'quota_restored')) return a.key;
    const name = `quota.${hash(a.family)}`;
    if (a.event === 'quota_restored') {
      const last = await this.opts.store.getRecord('alert-mark', name);
      const since = (last?.data as { key?: unknown } | undefined)?.key;
      return `quota_restored:${a.family}:${typeof since === 'string' ? since : 'never'}`;
    }
    const at = this.opts.now().toISOString();
    await this.opts.store.updateRecord('alert-mark', name, (cur) => ({
      kind: 'alert-mark',
      name,
      createdAt: cur?.createdAt ?? at,
      updatedAt: at,
      data: { key: a.key.slice(0, 500) },
    }));
    return a.key;
  }

  private async send(alert: Alert): Promise<void> {
    const a = { ...alert, key: await this.quotaKey(alert) };
    for (const route of this.opts.routes.filter((r) => this.matches(r, a))) {
      const outbox = this.opts.outboxes.find((o) => o.platform === route.platform);
      if (!outbox) continue;
      const name = `${route.platform}.${hash(`${route.channel}|${a.key}`)}`;
      if (!(await this.lock(name, a, route.channel))) continue;
      try {
        await outbox.post({ channel: route.channel }, a.reply);
      } catch (err) {
        await this.opts.store.deleteRecord('alert-mark', name);
        throw err;
      }
    }
  }

  /** Creates the mark; false when it exists (this alert already went to this route). */
  private async lock(name: string, a: Alert, channel: string): Promise<boolean> {
    const at = this.opts.now().toISOString();
    try {
      await this.opts.store.createRecord({
        kind: 'alert-mark',
        name,
        createdAt: at,
        updatedAt: at,
        data: { event: a.event, channel, key: a.key.slice(0, 500) },
      });
      return true;
    } catch (err) {
      if (isK3scError(err, 'conflict')) return false;
      throw err;
    }
  }
}
