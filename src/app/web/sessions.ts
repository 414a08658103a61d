import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../core/api/farm-api.js';

/** A browser's session: anonymous until it logs in; every session has its own CSRF token. */
export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly user?: { readonly name: string; readonly role?: Role; readonly via: 'local' | 'github' };
  /** OAuth's `state` while a GitHub login is in flight. */
  readonly oauthState?: string;
  readonly expiresAt: number;
}

const token = (): string => randomBytes(24).toString('base64url');

/** Constant-time comparison of two tokens (a mismatch in length is simply false). */
export const sameToken = (a: string | undefined, b: string | undefined): boolean => {
  if (a === undefined || b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Sessions in memory (a restart logs everyone out). They expire `ttlMs` after login (or after
 * they were opened, for anonymous ones); logging in issues a new id, so a planted id is useless.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
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
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** Replaces `old` with a fresh logged-in session (new id and CSRF token). */
  login(old: Session | undefined, user: NonNullable<Session['user']>): Session {
    if (old) this.sessions.delete(old.id);
    const s: Session = { id: token(), csrf: token(), user, expiresAt: this.now() + this.ttlMs };
    this.sessions.set(s.id, s);
    return s;
  }

  update(s: Session, patch: Partial<Pick<Session, 'oauthState'>>): Session {
    const next = { ...s, ...patch };
    this.sessions.set(s.id, next);
    return next;
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
