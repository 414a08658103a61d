import { describe, expect, it } from 'vitest';
import { allocateSlot, type SlotRequest } from './slots.js';

const req = (over: Partial<SlotRequest> = {}): SlotRequest => ({
  live: [],
  available: ['claude', 'codex'],
  rotation: 0,
  maxSlots: 5,
  ...over,
});

describe('allocateSlot', () => {
  it('takes the lowest free letter of the family the rotation points at', () => {
    const live = [
      { slot: 'claude-a', family: 'claude' },
      { slot: 'claude-c', family: 'claude' },
    ];
    expect(allocateSlot(req({ live }))).toEqual({
      ok: true,
      slot: 'claude-b',
      family: 'claude',
      rotation: 1,
    });
    expect(allocateSlot(req({ live, rotation: 1 }))).toEqual({
      ok: true,
      slot: 'codex-a',
      family: 'codex',
      rotation: 2,
    });
    expect(allocateSlot(req({ rotation: 7 }))).toMatchObject({ family: 'codex' });
  });

  it('refuses when live attempts fill max slots, or no family is available', () => {
    expect(allocateSlot(req({ maxSlots: 1, live: [{ slot: 'codex-q', family: 'codex' }] }))).toEqual({
      ok: false,
      reason: 'no-free-slot',
    });
    expect(allocateSlot(req({ available: [] }))).toEqual({ ok: false, reason: 'no-family-available' });
  });

  it('honours excluded slots and tries the avoided family last', () => {
    expect(allocateSlot(req({ excludeSlots: ['claude-a', 'claude-b'] }))).toMatchObject({ slot: 'claude-c' });
    expect(allocateSlot(req({ avoidFamily: 'claude' }))).toMatchObject({ slot: 'codex-a' });
    expect(
      allocateSlot(req({ avoidFamily: 'claude', available: ['claude'], excludeSlots: ['claude-a'] })),
    ).toMatchObject({ slot: 'claude-b' });
  });

  it('moves to the next family when one has all 26 letters taken', () => {
    const excludeSlots = 'abcdefghijklmnopqrstuvwxyz'.split('').map((l) => `claude-${l}`);
    expect(allocateSlot(req({ excludeSlots, maxSlots: 100 }))).toMatchObject({ slot: 'codex-a' });
    expect(allocateSlot(req({ excludeSlots, available: ['claude'], maxSlots: 100 }))).toEqual({
      ok: false,
      reason: 'no-free-slot',
    });
  });
});
