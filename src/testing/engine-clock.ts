import type { Clock } from '../core/ports/clock.js';

/** A Clock that moves only when a test says so. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: string | Date = '2026-03-02T09:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by `ms` (never backwards) and returns the new time. */
  advance(ms: number): Date {
    if (ms < 0) throw new RangeError('a fake clock only moves forward');
    this.current += ms;
    return this.now();
  }

  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }

  iso(offsetMs = 0): string {
    return new Date(this.current + offsetMs).toISOString();
  }
}
