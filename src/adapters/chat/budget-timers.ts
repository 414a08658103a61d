import type { BudgetTimers } from '../../core/domain/send-budget.js';

/** The wall clock and real timers for a platform's send budget (tests inject fake ones). */
export const realTimers: BudgetTimers = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
