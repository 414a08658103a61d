/** Thrown by a port call of a process that "crashed" (or failed) right after an effect. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

/**
 * Fault injection *after* a side effect, for crash-window tests. Every effectful port call
 * (label write, comment, record write, run start/stop) is counted; the `at`-th one really
 * happens and then throws, as if the process died (`crash`: every later call of that process
 * throws too) or the response was lost (`fail`: only that call throws).
 */
export class CrashSwitch {
  effects = 0;
  dead = false;
  readonly done: string[] = [];

  /** Effects counted toward `at` (all of them, or only those named `only`). */
  private counted = 0;

  constructor(
    readonly at: number | undefined = undefined,
    readonly mode: 'crash' | 'fail' = 'crash',
    /** Count only effects with this label, e.g. `store.createAttempt`. */
    readonly only?: string,
  ) {}

  /** Whether the injected fault has fired. */
  get fired(): boolean {
    return this.at !== undefined && this.counted >= this.at;
  }

  async around<T>(label: string, effect: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.dead) throw new InjectedCrash(`process is dead (${label})`);
    const result = await fn();
    if (!effect) return result;
    this.effects++;
    this.done.push(label);
    if (this.only === undefined || this.only === label) this.counted++;
    if (this.counted === this.at && (this.only === undefined || this.only === label)) {
      if (this.mode === 'crash') this.dead = true;
      throw new InjectedCrash(`injected ${this.mode} after ${label}`);
    }
    return result;
  }
}

/**
 * Wraps a port so each call goes through `sw`; methods named in `effects` count as side effects.
 * Non-promise results (async iterables) pass through untouched.
 */
export const crashable = <T extends object>(
  port: T,
  sw: CrashSwitch,
  name: string,
  effects: readonly string[],
): T =>
  new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        if (prop === 'followLog') return fn.apply(target, args);
        return sw.around(`${name}.${prop}`, effects.includes(prop), () =>
          Promise.resolve(fn.apply(target, args)),
        );
      };
    },
  });

export const TRACKER_EFFECTS = ['changeLabels', 'comment', 'createIssue'];
export const STORE_EFFECTS = [
  'createAttempt',
  'updateAttempt',
  'deleteAttempts',
  'createLease',
  'deleteLease',
  'updateDispatchState',
];
export const RUNTIME_EFFECTS = ['start', 'stop'];
