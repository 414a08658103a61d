import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { jitteredBackoff, withTimeout, type Backoff } from './watch-backoff.js';

export interface ListResult<T> {
  readonly items: T[];
  readonly metadata?: { readonly resourceVersion?: string };
}

export interface WatchHandlers<T> {
  /** A new object, or a new version of one (never called twice for the same resourceVersion). */
  readonly onUpsert?: (obj: T) => void;
  readonly onDelete?: (obj: T) => void;
}

export interface ResourceWatchOptions<T extends KubernetesObject> extends WatchHandlers<T> {
  readonly kubeConfig: KubeConfig;
  /** The collection's URL path, e.g. `/apis/batch/v1/namespaces/k3sc/jobs`. */
  readonly path: string;
  readonly labelSelector?: string;
  readonly list: () => Promise<ListResult<T>>;
  /** The server ends each watch after this long (a fresh one starts from the last version). */
  readonly watchTimeoutSeconds?: number;
  /** A watch that brings no event, not even a bookmark, for this long is dropped and restarted. */
  readonly silenceMs?: number;
  /** Bound on one list request. */
  readonly requestTimeoutMs?: number;
  readonly backoff?: Backoff;
  readonly logger?: Logger;
}

export interface WatchStats {
  lists: number;
  watches: number;
  expired: number;
  silent: number;
  errors: number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : JSON.stringify(err));

const keyOf = (o: KubernetesObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** A status that says the version we watch from is gone (410 Gone / Expired). */
const isGone = (err: unknown): boolean => {
  const e = err as { statusCode?: number; code?: number } | null;
  return e?.statusCode === 410 || e?.code === 410;
};

/**
 * List, then watch from the list's resourceVersion with bookmarks; a local copy of every object
 * (an informer without the SDK's). Relists on 410, restarts a dropped or silent watch with
 * jittered back-off, and gives handlers each object version once, so a relist repeats nothing.
 */
export class ResourceWatch<T extends KubernetesObject> {
  readonly stats: WatchStats = { lists: 0, watches: 0, expired: 0, silent: 0, errors: 0 };
  private readonly cache = new Map<string, T>();
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private rv: string | undefined;
  private stopped = false;
  private current: AbortController | undefined;
  private syncedOnce: Promise<void>;
  private markSynced: () => void = () => undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: ResourceWatchOptions<T>) {
    this.log = (o.logger ?? silentLogger).child({ component: 'watch', path: o.path });
    this.backoff = o.backoff ?? jitteredBackoff(500, 30_000);
    this.syncedOnce = new Promise((r) => (this.markSynced = r));
  }

  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Settles once the first list has filled the cache. */
  synced(): Promise<void> {
    return this.syncedOnce;
  }

  get(name: string, namespace = ''): T | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  items(): T[] {
    return [...this.cache.values()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    this.wake?.();
    await this.loop;
  }

  private upsert(obj: T): void {
    const key = keyOf(obj);
    const had = this.cache.get(key);
    if (had?.metadata?.resourceVersion === obj.metadata?.resourceVersion && had !== undefined) return;
    this.cache.set(key, obj);
    this.o.onUpsert?.(obj);
  }

  private remove(obj: T): void {
    const key = keyOf(obj);
    if (!this.cache.has(key)) return;
    this.cache.delete(key);
    this.o.onDelete?.(obj);
  }

  private async relist(): Promise<void> {
    this.stats.lists++;
    const res = await withTimeout(this.o.list(), this.o.requestTimeoutMs ?? 30_000, `list ${this.o.path}`);
    const seen = new Set<string>();
    for (const item of res.items) {
      seen.add(keyOf(item));
      this.upsert(item);
    }
    for (const [key, obj] of [...this.cache]) if (!seen.has(key)) this.remove(obj);
    this.rv = res.metadata?.resourceVersion;
    this.markSynced();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) await this.relist();
        needList = false;
        const outcome = await this.watchOnce();
        if (outcome === 'expired') {
          this.stats.expired++;
          needList = true;
        }
        if (outcome !== 'failed') {
          this.backoff.reset();
          continue;
        }
      } catch (err) {
        this.stats.errors++;
        if (isGone(err)) needList = true;
        this.log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'list/watch failed; retrying',
        );
      }
      if (!this.stopped) await this.pause(this.backoff.next());
    }
  }

  /** One watch request: resolves with how it ended. */
  private watchOnce(): Promise<'ended' | 'expired' | 'failed' | 'silent'> {
    this.stats.watches++;
    const silenceMs = this.o.silenceMs ?? 90_000;
    return new Promise((resolve) => {
      let outcome: 'ended' | 'expired' | 'failed' | 'silent' = 'ended';
      let sawEvent = false;
      let dog: ReturnType<typeof setTimeout> | undefined;
      const feed = (): void => {
        clearTimeout(dog);
        dog = setTimeout(() => {
          this.stats.silent++;
          outcome = 'silent';
          this.log.warn({ silenceMs }, 'watch went silent; restarting it');
          this.current?.abort();
          finish();
        }, silenceMs);
      };
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(dog);
        resolve(outcome);
      };
      feed();
      const query = {
        allowWatchBookmarks: true,
        timeoutSeconds: this.o.watchTimeoutSeconds ?? 300,
        ...(this.rv === undefined ? {} : { resourceVersion: this.rv }),
        ...(this.o.labelSelector === undefined ? {} : { labelSelector: this.o.labelSelector }),
      };
      const onEvent = (type: string, obj: unknown): void => {
        sawEvent = true;
        feed();
        const o = obj as T & { code?: number };
        if (type === 'ERROR') {
          outcome = isGone(o) ? 'expired' : 'failed';
          this.current?.abort();
          finish();
          return;
        }
        const rv = o.metadata?.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED') this.upsert(o);
        else if (type === 'DELETED') this.remove(o);
        if (rv !== undefined) this.rv = rv;
      };
      const onDone = (err: unknown): void => {
        if (err !== null && err !== undefined && outcome === 'ended' && !this.stopped) {
          const aborted = (err as { name?: string }).name === 'AbortError';
          outcome = isGone(err) ? 'expired' : aborted && sawEvent ? 'ended' : 'failed';
          if (outcome === 'failed') {
            this.stats.errors++;
            this.log.warn({ err: messageOf(err) }, 'watch dropped');
          }
        }
        finish();
      };
      new Watch(this.o.kubeConfig)
        .watch(this.o.path, query, onEvent, onDone)
        .then((c) => {
          this.current = c;
          if (finished || this.stopped) c.abort();
        })
        .catch((err: unknown) => onDone(err));
    });
  }
}
