import type { EngineDeps } from './deps.js';

/** Families whose usage-limit reset time has passed come back, with a `quota-restored` alert. */
export const restoreQuota = async (deps: EngineDeps, signal?: AbortSignal): Promise<string[]> => {
  const now = deps.clock.now().getTime();
  const state = await deps.store.getDispatchState(signal);
  const back = Object.entries(state.quotaUntil)
    .filter(([, until]) => Date.parse(until) <= now)
    .map(([family]) => family);
  if (back.length === 0) return [];
  await deps.store.updateDispatchState((s) => {
    const quotaUntil = { ...s.quotaUntil };
    for (const f of back)
      if (quotaUntil[f] !== undefined && Date.parse(quotaUntil[f]) <= now) delete quotaUntil[f];
    return { ...s, quotaUntil };
  }, signal);
  for (const family of back)
    deps.events.emit({
      type: 'alert',
      kind: 'quota-restored',
      family,
      message: `${family} is back: its usage limit has reset`,
    });
  return back;
};
