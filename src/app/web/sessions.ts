import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Role } from '../../core/api/farm-api.js';
import type { StateStore } from '../../core/ports/state-store.js';

/** A browser's session: anonymous until it logs in; every session has its own CSRF token. */
export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly user?: { readonly name: string; readonly role?: Role; readonly via: 'local' | 'github' };
  /** OAuth's `state` while a GitHub login is in flight. */
  readonly oauthState?: string;
  readonly expiresAt: number;
}

/** The part of the store sessions need (the records seam). */
export type SessionRecords = Pick<StateStore, 'createRecord' | 'getRecord' | 'deleteRecord' | 'pruneRecords'>;

export const SESSION_KIND = 'web-session';
/** Anonymous sessions kept in memory at most (the oldest go first); logged-in ones are in the store. */
const MAX_ANONYMOUS = 10_000;
/** How long a logged-in session read from the store is trusted before it is read again. */
const RECHECK_MS = 30_000;
const PRUNE_EVERY_MS = 10 * 60_000;

const token = (): string => randomBytes(24).toString('base64url');

/** The record name of a session: a hash of its id, so the store never holds a usable cookie. */
export const sessionKey = (id: string): string => createHash('sha256').update(id).digest('hex');

/** Constant-time comparison of two tokens (a mismatch in length is simply false). */
export const sameToken = (a: string | undefined, b: string | undefined): boolean => {
  if (a === undefined || b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const recordSchema = z.object({
  csrf: z.string().min(16),
  user: z.object({
    name: z.string().min(1),
    role: z.enum(['viewer', 'operator', 'admin']).optional(),
    via: z.enum(['local', 'github']),
  }),
  expiresAt: z.number(),
});

/**
 * Sessions. Anonymous ones (a CSRF token for the login form, an OAuth state) live in memory;
 * logged-in ones are also `web-session` records in the state store, named by the hash of
 * their id, so a restarted `serve` (or another replica) keeps the user logged in. They expire
 * `ttlMs` after login (or after they were opened, for anonymous ones); logging in issues a new
 * id, so a planted id is useless. `get` is synchronous: call `load(id)` first (the web app does,
 * in a preHandler) to bring a session the memory does not know in from the store.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly checked = new Map<string, number>();
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly records?: SessionRecords,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  open(): Session {
    this.sweep();
    const s: Session = { id: token(), csrf: token(), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session with this id, or `undefined` (unknown or expired — then it is dropped). */
  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.forget(id);
      return undefined;
    }
    return s;
  }

  /**
   * Reads the session with this id from the store when memory does not have it (a restart,
   * another replica) or has not checked it for a while (a logout elsewhere). A store that
   * fails leaves memory as it was.
   */
  async load(id: string | undefined): Promise<void> {
    if (id === undefined || id === '' || !this.records) return;
    const known = this.sessions.get(id);
    if (known && !known.user) return;
    const at = this.checked.get(id);
    if (known && at !== undefined && this.now() - at < RECHECK_MS) return;
    try {
      const rec = await this.records.getRecord(SESSION_KIND, sessionKey(id));
      const data = rec ? recordSchema.safeParse(rec.data) : undefined;
      if (!data?.success || data.data.expiresAt <= this.now()) {
        this.forget(id);
        if (rec) await this.records.deleteRecord(SESSION_KIND, sessionKey(id));
        return;
      }
      const { csrf, expiresAt } = data.data;
      const u = data.data.user;
      const user = { name: u.name, via: u.via, ...(u.role ? { role: u.role } : {}) };
      this.sessions.set(id, { id, csrf, user, expiresAt });
      this.checked.set(id, this.now());
    } catch (err) {
      this.onError(err);
    }
  }

  /** Replaces `old` with a fresh logged-in session (new id and CSRF token), stored durably. */
  async login(old: Session | undefined, user: NonNullable<Session['user']>): Promise<Session> {
    if (old) await this.end(old.id);
    const s: Session = { id: token(), csrf: token(), user, expiresAt: this.now() + this.ttlMs };
    if (this.records) {
      const at = new Date(this.now()).toISOString();
      await this.records.createRecord({
        kind: SESSION_KIND,
        name: sessionKey(s.id),
        createdAt: at,
        updatedAt: at,
        data: { csrf: s.csrf, user: { ...user }, expiresAt: s.expiresAt },
      });
      this.checked.set(s.id, this.now());
      await this.prune(false);
    }
    this.sessions.set(s.id, s);
    return s;
  }

  /** Changes an anonymous session in memory (the OAuth state of a login in flight). */
  update(s: Session, patch: Partial<Pick<Session, 'oauthState'>>): Session {
    const next = { ...s, ...patch };
    this.sessions.set(s.id, next);
    return next;
  }

  /** Logout: the session is gone from memory and from the store. */
  async end(id: string | undefined): Promise<void> {
    if (id === undefined) return;
    const s = this.sessions.get(id);
    this.forget(id);
    if (this.records && (s === undefined || s.user))
      await this.records.deleteRecord(SESSION_KIND, sessionKey(id));
  }

  /** Removes stored sessions older than the ttl (at most every 10 minutes unless `force`). */
  async prune(force = true): Promise<number> {
    if (!this.records || (!force && this.now() - this.lastPrune < PRUNE_EVERY_MS)) return 0;
    this.lastPrune = this.now();
    try {
      return await this.records.pruneRecords(SESSION_KIND, new Date(this.now() - this.ttlMs).toISOString());
    } catch (err) {
      this.onError(err);
      return 0;
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  private forget(id: string): void {
    this.sessions.delete(id);
    this.checked.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    let anonymous = 0;
    for (const [id, s] of this.sessions) {
      if (s.expiresAt <= now) this.forget(id);
      else if (!s.user) anonymous++;
    }
    for (const [id, s] of this.sessions) {
      if (anonymous < MAX_ANONYMOUS) break;
      if (!s.user) {
        this.forget(id);
        anonymous--;
      }
    }
  }
}
