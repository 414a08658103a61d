import type { Clock } from '../../core/ports/clock.js';

/** Remembers yes/no answers per key for `ttlMs`, measured on an injected clock. */
export class TtlCache {
  private readonly entries = new Map<string, { value: boolean; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): boolean | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt > this.clock.now().getTime()) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  /** `expiresAt` (restoring a saved answer) is capped at one TTL from now. */
  set(key: string, value: boolean, expiresAt?: number): void {
    const latest = this.clock.now().getTime() + this.ttlMs;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Math.min(expiresAt ?? latest, latest) });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** The answers still valid, oldest first, with the epoch ms each expires at. */
  list(): { key: string; value: boolean; expiresAt: number }[] {
    const now = this.clock.now().getTime();
    return [...this.entries]
      .filter(([, e]) => e.expiresAt > now)
      .map(([key, e]) => ({ key, value: e.value, expiresAt: e.expiresAt }));
  }
}

/** Roles that can push. GitHub's legacy `permission` says admin/write; `role_name` also has maintain. */
export const canWrite = (permission: string | undefined, roleName: string | undefined): boolean =>
  ['admin', 'maintain', 'write'].includes(roleName ?? '') || ['admin', 'write'].includes(permission ?? '');
