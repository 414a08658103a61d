/**
 * Counts the steps the config checker takes (keys compared, nodes visited, issues sorted), so a
 * test can show the work grows linearly with the file without timing anything.
 */
export interface WorkMeter {
  tick(steps?: number): void;
}

export const NO_METER: WorkMeter = { tick: () => undefined };

/** A meter that only adds up; `count` is the total so far. */
export const countingMeter = (): WorkMeter & { readonly count: number } => {
  let count = 0;
  return {
    tick: (steps = 1) => {
      count += steps;
    },
    get count() {
      return count;
    },
  };
};
