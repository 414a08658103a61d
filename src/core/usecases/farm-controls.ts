import type { EngineDeps } from '../engine/deps.js';
import { K3scError } from '../errors.js';
import type { DispatchState } from '../model/dispatch-state.js';

/** The same cap as `max_slots` in the config: one letter a–z per slot. */
const MAX_SLOTS_LIMIT = 26;

export const setPaused = (deps: EngineDeps, paused: boolean, signal?: AbortSignal): Promise<DispatchState> =>
  deps.store.updateDispatchState((s) => ({ ...s, paused }), signal);

/** `scale N` changes max slots at runtime; `scale` alone reports it. */
export const scaleSlots = async (
  deps: EngineDeps,
  n: number | undefined,
  signal?: AbortSignal,
): Promise<{ maxSlots: number; configured: number }> => {
  const configured = deps.settings.maxSlots;
  if (n === undefined) {
    const s = await deps.store.getDispatchState(signal);
    return { maxSlots: s.maxSlots ?? configured, configured };
  }
  if (!Number.isInteger(n) || n < 0 || n > MAX_SLOTS_LIMIT)
    throw new K3scError('bad_input', `slots must be a whole number from 0 to ${MAX_SLOTS_LIMIT} (got ${n})`);
  const s = await deps.store.updateDispatchState((st) => ({ ...st, maxSlots: n }), signal);
  return { maxSlots: s.maxSlots ?? configured, configured };
};

/** `disable`/`enable <family>` by hand; enabling also clears an out-of-quota mark. */
export const setFamilyEnabled = async (
  deps: EngineDeps,
  family: string,
  enabled: boolean,
  signal?: AbortSignal,
): Promise<DispatchState> => {
  const known = deps.settings.families.map((f) => f.name);
  if (!known.includes(family))
    throw new K3scError(
      'not_found',
      `unknown family "${family}" (configured: ${known.join(', ') || 'none'})`,
    );
  return deps.store.updateDispatchState((s) => {
    const disabled = s.disabledFamilies.filter((f) => f !== family);
    const quotaUntil = { ...s.quotaUntil };
    if (enabled) delete quotaUntil[family];
    return { ...s, disabledFamilies: enabled ? disabled : [...disabled, family], quotaUntil };
  }, signal);
};
