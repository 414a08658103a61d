import { afterEach, beforeEach, describe } from 'vitest';
import type { StateStore } from '../../core/ports/state-store.js';
import { attemptContract } from './state-store-attempts.contract.js';
import { dispatchContract } from './state-store-dispatch.contract.js';
import { leaseContract } from './state-store-leases.contract.js';
import { pruneContract } from './state-store-prune.contract.js';
import { recordContract } from './state-store-records.contract.js';
import { slotContract } from './state-store-slots.contract.js';

/** A fresh, empty store for one test, and how to tear it down afterwards. */
export interface ContractSubject {
  readonly store: StateStore;
  readonly dispose?: () => Promise<void>;
}

/**
 * The behaviour every StateStore must show, run against each implementation (memory, lowdb,
 * and later Kubernetes custom resources). `makeStore` is called before every test.
 */
export const describeStateStoreContract = (name: string, makeStore: () => Promise<ContractSubject>): void => {
  describe(`${name} satisfies the StateStore contract`, () => {
    let subject: ContractSubject | undefined;
    const store = (): StateStore => {
      if (subject === undefined) throw new Error('store not created');
      return subject.store;
    };
    beforeEach(async () => {
      subject = await makeStore();
    });
    afterEach(async () => {
      await subject?.dispose?.();
      subject = undefined;
    });
    describe('attempts', () => attemptContract(store));
    describe('slots', () => slotContract(store));
    describe('ttl cleanup', () => pruneContract(store));
    describe('leases', () => leaseContract(store));
    describe('dispatch state', () => dispatchContract(store));
    describe('records', () => recordContract(store));
  });
};
