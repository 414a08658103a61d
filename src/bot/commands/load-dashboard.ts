import { isLive } from '../../core/model/attempt.js';
import { buildDashboard, type Dashboard } from '../../core/usecases/dashboard.js';
import type { Farm } from '../farm.js';

/**
 * Reads everything `top` shows. A one-shot CLI, or a serve that has not scanned yet, refreshes GitHub
 * first — always as a dry run: looking at the dashboard never claims or starts anything.
 */
export const loadDashboard = async (farm: Farm, signal: AbortSignal): Promise<Dashboard> => {
  const { deps } = farm;
  if (!farm.serving || !farm.engine.scanned) await farm.engine.pass({ dryRun: true, signal });
  const [state, attempts, leases] = await Promise.all([
    deps.store.getDispatchState(signal),
    deps.store.listAttempts({}, signal),
    deps.store.listLeases(signal),
  ]);
  const lastLines = new Map<string, string>();
  await Promise.all(
    attempts.filter(isLive).map(async (a) => {
      const tail = await deps.runtime.readLog(a.name, { tailLines: 1, signal }).catch(() => '');
      const line = tail.trim().split('\n').pop();
      if (line) lastLines.set(a.name, line);
    }),
  );
  return buildDashboard({
    settings: deps.settings,
    runtime: farm.runtimeName,
    state,
    now: deps.clock.now(),
    items: deps.cache.all(deps.settings.repos),
    attempts,
    leases,
    queue: farm.engine.queue(),
    lastLines,
  });
};
