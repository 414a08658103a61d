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
  | { readonly kind: 'expired'; readonly pending: PendingConfirmation }
  | { readonly kind: 'forbidden'; readonly pending: PendingConfirmation }
  | { readonly kind: 'resolved'; readonly pending: PendingConfirmation };

/**
 * Confirmation cards waiting for a click, in memory (a restart forgets them: a late click then
 * says so). Time comes from `now` (the farm's clock), so tests move it.
 */
export class ConfirmationGate {
  private readonly pending = new Map<string, PendingConfirmation>();
  constructor(private readonly opts: { now: () => Date; ttlMs?: number; newToken?: () => string }) {}

  private sweep(now: number): void {
    // Forgotten cards are dropped well after they expire, so a late click still hears "expired".
    for (const [t, p] of this.pending) if (now > p.expiresAt + 60 * 60_000) this.pending.delete(t);
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
  resolve(token: string, actor: Actor, where: string): Resolution {
    const p = this.pending.get(token);
    if (!p || p.where !== where) return { kind: 'unknown' };
    if (this.opts.now().getTime() > p.expiresAt) {
      this.pending.delete(token);
      return { kind: 'expired', pending: p };
    }
    if (!allows(actor.role, p.spec.role)) return { kind: 'forbidden', pending: p };
    this.pending.delete(token);
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
