/**
 * The pause before retrying a write that lost a resourceVersion race: a few milliseconds,
 * growing with each try and jittered, so racing processes spread out instead of colliding again.
 */
export const conflictPause = async (tries: number, signal?: AbortSignal): Promise<void> => {
  const ceiling = Math.min(250, 5 * 2 ** Math.min(tries, 6));
  await new Promise((r) => setTimeout(r, Math.random() * ceiling));
  signal?.throwIfAborted();
};
