import { describe, expect, it } from 'vitest';
import { at, makeSettings, makeState, NOW } from '../../testing/engine-fixtures.js';
import { availableFamilies, familyViews } from './families.js';

describe('familyViews', () => {
  it('marks families disabled in config or by hand, and out of quota until the reset', () => {
    const settings = makeSettings({
      families: [
        { name: 'claude', enabled: true },
        { name: 'codex', enabled: false },
        { name: 'gemini', enabled: true },
        { name: 'qwen', enabled: true },
      ],
    });
    const until = at(NOW, 1);
    const state = makeState({
      disabledFamilies: ['gemini'],
      quotaUntil: { qwen: until, claude: at(NOW, 0) },
    });
    expect(familyViews(settings, state, NOW)).toEqual([
      { name: 'claude', status: 'available' },
      { name: 'codex', status: 'disabled' },
      { name: 'gemini', status: 'disabled' },
      { name: 'qwen', status: 'out-of-quota', quotaUntil: until },
    ]);
    expect(availableFamilies(settings, state, new Date(until))).toEqual(['claude', 'qwen']);
  });
});
