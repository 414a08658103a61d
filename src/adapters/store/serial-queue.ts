/**
 * A promise-chain mutex: tasks run one at a time, in the order they were queued.
 * A failing task rejects only its own caller; the chain carries on with the next one.
 */
export interface SerialQueue {
  run<T>(task: () => Promise<T> | T): Promise<T>;
  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void>;
}

export const createSerialQueue = (): SerialQueue => {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail.then(() => undefined),
  };
};
