import type { DispatchState } from '../model/dispatch-state.js';
import type { EngineSettings } from '../model/settings.js';

export type FamilyStatus = 'available' | 'disabled' | 'out-of-quota';

export interface FamilyView {
  readonly name: string;
  readonly status: FamilyStatus;
  readonly quotaUntil?: string;
}

/** Each configured family with whether it may run now. */
export const familyViews = (settings: EngineSettings, state: DispatchState, now: Date): FamilyView[] =>
  settings.families.map((f) => {
    const until = state.quotaUntil[f.name];
    if (!f.enabled || state.disabledFamilies.includes(f.name)) return { name: f.name, status: 'disabled' };
    if (until !== undefined && Date.parse(until) > now.getTime())
      return { name: f.name, status: 'out-of-quota', quotaUntil: until };
    return { name: f.name, status: 'available' };
  });

export const availableFamilies = (settings: EngineSettings, state: DispatchState, now: Date): string[] =>
  familyViews(settings, state, now)
    .filter((f) => f.status === 'available')
    .map((f) => f.name);
