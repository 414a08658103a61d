import { initialDispatchState, type DispatchState } from '../../../core/model/dispatch-state.js';
import { isK3scError } from '../../../core/errors.js';
import { dispatchStateSchema } from '../../store/record-schemas.js';
import type { KubeRecord, ResourceClient } from './custom-resources.js';
import { baseLabels } from './object-names.js';
import { checkedRecord, readSpec } from './record-codec.js';
import { conflictPause } from './conflict-pause.js';

/** The farm's one DispatchState object; absent reads as the initial state. */
const MAX_TRIES = 30;

export class KubeDispatch {
  constructor(
    private readonly client: ResourceClient,
    private readonly name: string,
  ) {}

  #read = (obj: KubeRecord): DispatchState =>
    readSpec(
      dispatchStateSchema,
      obj,
      (n) => this.client.describe(n),
      () => this.name,
    );

  async get(signal?: AbortSignal): Promise<DispatchState> {
    const obj = await this.client.get(this.name, signal);
    return obj === undefined ? initialDispatchState() : this.#read(obj);
  }

  async update(fn: (s: DispatchState) => DispatchState, signal?: AbortSignal): Promise<DispatchState> {
    for (let tries = 0; ; tries++) {
      const obj = await this.client.get(this.name, signal);
      const current = obj === undefined ? initialDispatchState() : this.#read(obj);
      const next = checkedRecord(dispatchStateSchema, fn(current), 'dispatch state') as DispatchState;
      try {
        if (obj === undefined) await this.client.create(this.name, baseLabels(), next, signal);
        else
          await this.client.replace(
            this.name,
            obj.metadata.resourceVersion ?? '',
            baseLabels(),
            next,
            signal,
          );
        return structuredClone(next);
      } catch (err) {
        if (isK3scError(err, 'conflict') && tries < MAX_TRIES) {
          await conflictPause(tries, signal);
          continue;
        }
        throw err;
      }
    }
  }
}
