import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { leaseVerdict, observe, type ObservedLease } from './lease-decision.js';
import { withTimeout } from './watch-backoff.js';

export interface LeaderElectionOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** The Lease's name; default `k3sc-leader`. */
  readonly name?: string;
  /** Unique per replica, e.g. the pod name plus a random suffix. */
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly onLeading?: (identity: string) => void;
  readonly onStopped?: (identity: string) => void;
}

const codeOf = (err: unknown): number | undefined => (err as { code?: number } | null)?.code;
const micro = (ms: number): V1MicroTime => new V1MicroTime(ms);
const timeString = (t: Date | undefined): string => (t === undefined ? '' : new Date(t).toISOString());

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: acquire when the
 * holder has not renewed for a lease duration (measured on this clock), renew every retry
 * period, and step down when no renewal succeeded within the renew deadline — which is
 * shorter than the lease duration, so a deposed leader stops before anyone can take over.
 */
export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly name: string;
  private readonly durationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private observed: ObservedLease | undefined;
  private leading: AbortController | undefined;
  private lastRenewMs = 0;
  private stepDownTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: LeaderElectionOptions) {
    this.api = o.kubeConfig.makeApiClient(CoordinationV1Api);
    this.clock = o.clock ?? systemClock;
    this.log = (o.logger ?? silentLogger).child({ component: 'leader-election', identity: o.identity });
    this.name = o.name ?? 'k3sc-leader';
    this.durationMs = o.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    this.retryMs = o.retryPeriodMs ?? 2_000;
    if (!(this.renewDeadlineMs < this.durationMs && this.retryMs < this.renewDeadlineMs))
      throw new Error('leader election needs retry period < renew deadline < lease duration');
  }

  get identity(): string {
    return this.o.identity;
  }

  /**
   * Leading, and the last renewal was sent less than a renew deadline ago by this clock. The
   * clock is read here, not only by the step-down timer: after the process was paused (SIGSTOP,
   * a long GC, a frozen VM) every due timer fires at once, and one that runs before the
   * step-down timer must already find the gate closed.
   */
  isLeader(): boolean {
    if (this.leading === undefined || this.leading.signal.aborted) return false;
    if (this.clock.now().getTime() - this.lastRenewMs < this.renewDeadlineMs) return true;
    this.stepDown('renew deadline passed');
    return false;
  }

  /** Resolves with a signal that aborts when leadership is lost, once this replica leads. */
  async whenLeading(signal: AbortSignal): Promise<AbortSignal | undefined> {
    while (!signal.aborted) {
      if (this.isLeader() && this.leading) return this.leading.signal;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return undefined;
  }

  /**
   * Campaigns and renews until `signal` aborts. `release` (default true) gives the Lease up on
   * the way out so a follower takes over at once; false models a crash.
   */
  async run(signal: AbortSignal, opts: { release?: boolean } = {}): Promise<void> {
    while (!signal.aborted) {
      // The renewal counts from when it was sent: the server may have written it at any point after.
      const sentAt = this.clock.now().getTime();
      const ok = await this.tryAcquireOrRenew().catch((err: unknown) => {
        this.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'lease attempt failed');
        return false;
      });
      if (ok) this.renewed(sentAt);
      await this.pause(
        this.isLeader() ? this.retryMs : this.retryMs * (1 + 0.2 * (this.o.random ?? Math.random)()),
        signal,
      );
    }
    const wasLeader = this.isLeader();
    this.stepDown('stopping');
    if (wasLeader && opts.release !== false) await this.release().catch(() => undefined);
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private renewed(sentAt: number): void {
    this.lastRenewMs = sentAt;
    clearTimeout(this.stepDownTimer);
    // Not renewed again within the deadline: stop side effects before the Lease can be taken.
    const left = Math.max(0, sentAt + this.renewDeadlineMs - this.clock.now().getTime());
    this.stepDownTimer = setTimeout(() => this.stepDown('renew deadline passed'), left);
    if (left === 0) return;
    if (this.leading === undefined || this.leading.signal.aborted) {
      this.leading = new AbortController();
      this.log.info({ lease: this.name }, 'became leader');
      this.o.onLeading?.(this.o.identity);
      for (const w of this.waiters.splice(0)) w();
    }
  }

  private stepDown(why: string): void {
    clearTimeout(this.stepDownTimer);
    if (this.leading === undefined || this.leading.signal.aborted) return;
    this.leading.abort(new Error(`leadership lost: ${why}`));
    this.log.warn({ lease: this.name, why }, 'stopped leading');
    this.o.onStopped?.(this.o.identity);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    // Bound every request: a renewal that hangs must not outlive the deadline.
    const budget = this.isLeader()
      ? Math.max(1, this.lastRenewMs + this.renewDeadlineMs - this.clock.now().getTime())
      : this.renewDeadlineMs;
    const { namespace } = this.o;
    let lease: V1Lease;
    try {
      lease = await withTimeout(
        this.api.readNamespacedLease({ name: this.name, namespace }),
        budget,
        'read lease',
      );
    } catch (err) {
      if (codeOf(err) !== 404) throw err;
      const now = this.clock.now().getTime();
      await withTimeout(
        this.api.createNamespacedLease({
          namespace,
          body: {
            metadata: { name: this.name, namespace },
            spec: {
              holderIdentity: this.o.identity,
              leaseDurationSeconds: Math.ceil(this.durationMs / 1000),
              acquireTime: micro(now),
              renewTime: micro(now),
              leaseTransitions: 0,
            },
          },
        }),
        budget,
        'create lease',
      );
      return true;
    }
    const spec = lease.spec ?? {};
    const now = this.clock.now().getTime();
    this.observed = observe(
      this.observed,
      { holder: spec.holderIdentity ?? '', renewTime: timeString(spec.renewTime) },
      now,
    );
    const verdict = leaseVerdict(this.o.identity, this.observed, now, this.durationMs);
    if (verdict === 'held') {
      if (this.isLeader()) this.stepDown(`the lease is held by ${this.observed.holder}`);
      return false;
    }
    const taking = verdict !== 'mine';
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: this.o.identity,
        leaseDurationSeconds: Math.ceil(this.durationMs / 1000),
        renewTime: micro(now),
        ...(taking ? { acquireTime: micro(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
      },
    };
    // The resourceVersion makes this a compare-and-swap: a racing elector gets 409 Conflict.
    await withTimeout(
      this.api.replaceNamespacedLease({ name: this.name, namespace, body }),
      budget,
      'renew lease',
    );
    return true;
  }

  private async release(): Promise<void> {
    const lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.o.namespace });
    if (lease.spec?.holderIdentity !== this.o.identity) return;
    await this.api.replaceNamespacedLease({
      name: this.name,
      namespace: this.o.namespace,
      body: {
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: micro(this.clock.now().getTime()),
        },
      },
    });
    this.log.info({ lease: this.name }, 'released the lease');
  }
}
