import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/api/farm-api.js';
import type { CommandSpec } from './command-spec.js';
import type { Reply } from './reply.js';
import { allows } from './roles.js';

/** An unconfirmed card expires after this long: a click then says so and runs nothing. */
export const CONFIRM_TTL_MS = 5 * 60_000;

/** Commands that change or stop work: from chat they ask for a confirmation first. */
export const CONFIRMED_COMMANDS: ReadonlySet<string> = new Set(['kill', 'reset', 'scale', 'pause']);

/** Chat only (the console and the CLI run these directly); `scale` without a number only shows. */
export const needsConfirmation = (
  spec: CommandSpec,
  args: Record<string, unknown>,
  local: boolean,
): boolean =>
  !local && CONFIRMED_COMMANDS.has(spec.name) && !(spec.name === 'scale' && args['slots'] === undefined);

export interface PendingConfirmation {
  readonly token: string;
  readonly spec: CommandSpec;
  /** The validated raw arguments, run as they are when confirmed. */
  readonly args: Record<string, unknown>;
  /** The command as typed, for people: `kill acme/w#3 --requeue`. */
  readonly line: string;
  readonly requestedBy: Actor;
  /** Only a click in the same place resolves it (`slack:C123`). */
  readonly where: string;
  readonly expiresAt: number;
}

export type Resolution =
  | { readonly kind: 'unknown' }
  /** Pending, but shown in another channel: only a click there resolves it. */
  | { readonly kind: 'elsewhere' }
  /** Resolved or expired a moment ago (a second click): what happened to it. */
  | { readonly kind: 'done'; readonly note: string }
  | { readonly kind: 'expired'; readonly pending: PendingConfirmation }
  | { readonly kind: 'forbidden'; readonly pending: PendingConfirmation }
  | { readonly kind: 'resolved'; readonly pending: PendingConfirmation };

/** Calls `fn` after `ms`; returns a cancel function. */
export type SetTimer = (fn: () => void, ms: number) => () => void;
const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};
const HOUR = 60 * 60_000;

/**
 * Confirmation cards waiting for a click, in memory (a restart forgets them: a late click then
 * says so). Time comes from `now` (the farm's clock), so tests move it; `setTimer` wakes a
 * watched card when it expires (tests fire it by hand).
 */
export class ConfirmationGate {
  private readonly pending = new Map<string, PendingConfirmation>();
  /** Tokens resolved or expired in the last hour, and what happened (a second click hears it). */
  private readonly done = new Map<string, { note: string; at: number }>();
  private readonly timers = new Map<string, () => void>();
  constructor(
    private readonly opts: {
      now: () => Date;
      ttlMs?: number;
      newToken?: () => string;
      setTimer?: SetTimer;
    },
  ) {}

  private sweep(now: number): void {
    // Forgotten cards are dropped well after they expire, so a late click still hears "expired".
    for (const [t, p] of this.pending) if (now > p.expiresAt + HOUR) this.pending.delete(t);
    for (const [t, d] of this.done) if (now > d.at + HOUR) this.done.delete(t);
  }

  private finish(token: string, note: string): void {
    this.pending.delete(token);
    this.timers.get(token)?.();
    this.timers.delete(token);
    this.done.set(token, { note, at: this.opts.now().getTime() });
  }

  /**
   * When the card expires unresolved, `onExpire` runs once (the card then loses its buttons and
   * says so); resolving it first cancels that.
   */
  watch(token: string, onExpire: (p: PendingConfirmation) => void | Promise<void>): void {
    const p = this.pending.get(token);
    if (!p) return;
    const wait = Math.max(0, p.expiresAt - this.opts.now().getTime()) + 1;
    this.timers.get(token)?.();
    const cancel = (this.opts.setTimer ?? realTimer)(() => {
      this.timers.delete(token);
      if (!this.pending.has(token)) return;
      // Woken early (the farm's clock is behind the timer): wait for the rest.
      if (this.opts.now().getTime() <= p.expiresAt) return this.watch(token, onExpire);
      this.finish(token, `it expired at ${new Date(p.expiresAt).toISOString().slice(11, 16)} UTC`);
      void onExpire(p);
    }, wait);
    this.timers.set(token, cancel);
  }

  /** Tokens with an expiry timer (tests). */
  get watched(): number {
    return this.timers.size;
  }

  /** Stops every expiry timer (serve stopping). */
  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Remembers the command and returns the card to show (Confirm / Cancel buttons). */
  request(p: Omit<PendingConfirmation, 'token' | 'expiresAt'>): Reply {
    const now = this.opts.now().getTime();
    this.sweep(now);
    const token = (this.opts.newToken ?? (() => randomBytes(6).toString('hex')))();
    const expiresAt = now + (this.opts.ttlMs ?? CONFIRM_TTL_MS);
    this.pending.set(token, { ...p, token, expiresAt });
    const until = new Date(expiresAt).toISOString();
    return {
      title: `confirm ${p.spec.name}`,
      blocks: [
        {
          type: 'text',
          text: `${p.requestedBy.display} asks to run \`${p.line}\`. Someone with the ${p.spec.role} role must confirm before ${until.slice(11, 16)} UTC (5 minutes), or nothing runs.`,
        },
        {
          type: 'actions',
          buttons: [
            { id: 'confirm', label: 'Confirm', command: `confirm ${token}` },
            { id: 'cancel', label: 'Cancel', command: `cancel ${token}` },
          ],
        },
      ],
      data: {
        confirmation: {
          token,
          command: p.line,
          role: p.spec.role,
          requestedBy: p.requestedBy.id,
          expiresAt: until,
        },
      },
    };
  }

  /**
   * A click on Confirm or Cancel: `resolved` takes the card (a second click finds it `unknown`);
   * `forbidden` leaves it for someone with the role; `expired` drops it.
   */
  resolve(token: string, actor: Actor, where: string, verb = 'confirm'): Resolution {
    const p = this.pending.get(token);
    if (p && p.where !== where) return { kind: 'elsewhere' };
    if (!p) {
      const done = this.done.get(token);
      return done ? { kind: 'done', note: done.note } : { kind: 'unknown' };
    }
    if (this.opts.now().getTime() > p.expiresAt) {
      this.finish(token, 'it expired');
      return { kind: 'expired', pending: p };
    }
    if (!allows(actor.role, p.spec.role)) return { kind: 'forbidden', pending: p };
    this.finish(token, `${actor.display} ${verb === 'cancel' ? 'cancelled' : 'confirmed'} it`);
    return { kind: 'resolved', pending: p };
  }

  get size(): number {
    return this.pending.size;
  }
}

/** The card once resolved: no buttons, what happened, and the command's own answer when it ran. */
export const resolvedCard = (title: string, note: string, result?: Reply): Reply => ({
  title: result?.title ?? title,
  blocks: [{ type: 'text', text: note }, ...(result?.blocks.filter((b) => b.type !== 'actions') ?? [])],
  data: result?.data ?? { message: note },
  ...(result?.exitCode === undefined ? {} : { exitCode: result.exitCode }),
});
