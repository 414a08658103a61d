import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { K3scError } from '../../core/errors.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { DocumentStateStore } from './document-state-store.js';
import { errorText } from './error-text.js';
import { emptyStateDocument, type StateDocument } from './state-document.js';
import { StateFileAdapter } from './state-file.js';
import { acquireStateFileLock, type StateFileLock } from './state-file-lock.js';

export interface LowdbStateStoreOptions {
  /** The JSON state file; it and its directory are created when absent. */
  readonly path: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * The local runtime's durable StateStore: one JSON file written through lowdb (temp file +
 * rename), owned by ONE process at a time through `<path>.lock`. Every mutation is written
 * before its promise resolves. Open it with `openLowdbStateStore`; `close()` releases the lock.
 */
export class LowdbStateStore extends DocumentStateStore implements StateStore {
  readonly #lock: StateFileLock;

  private constructor(
    readonly path: string,
    db: Low<StateDocument>,
    lock: StateFileLock,
  ) {
    super(db.data, async (next) => {
      db.data = next;
      await db.write();
    });
    this.#lock = lock;
  }

  /** Notes about how the file was opened (a stale lock taken over), for the caller to show. */
  get notes(): readonly string[] {
    return this.#lock.note === undefined ? [] : [this.#lock.note];
  }

  static async open(options: LowdbStateStoreOptions): Promise<LowdbStateStore> {
    const path = resolve(options.path);
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (err) {
      throw new K3scError(
        'unavailable',
        `cannot create the directory of state file ${path}: ${errorText(err)}`,
        { cause: err },
      );
    }
    const lock = await acquireStateFileLock({ statePath: path, clock: options.clock ?? systemClock });
    if (lock.note !== undefined) (options.logger ?? silentLogger).warn({ statePath: path }, lock.note);
    try {
      const adapter = new StateFileAdapter(path);
      const loaded = await adapter.read();
      const db = new Low(adapter, loaded ?? emptyStateDocument());
      if (loaded === null) await db.write();
      return new LowdbStateStore(path, db, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** Waits for queued writes, then releases the lock. Later calls fail with `unavailable`. */
  async close(): Promise<void> {
    await this.shutdown();
    await this.#lock.release();
  }
}

export const openLowdbStateStore = (options: LowdbStateStoreOptions): Promise<LowdbStateStore> =>
  LowdbStateStore.open(options);
