import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from './memory-state-store.js';
import { makeAttempt } from './state-fixtures.js';
import { describeStateStoreContract } from './state-store.contract.js';

describeStateStoreContract('MemoryStateStore', () => {
  const store = new MemoryStateStore();
  return Promise.resolve({ store, dispose: () => store.close() });
});

describe('MemoryStateStore', () => {
  it('finishes queued work on close, then refuses calls with unavailable', async () => {
    const store = new MemoryStateStore();
    const pending = store.createAttempt(makeAttempt());
    await store.close();
    await expect(pending).resolves.toBeUndefined();
    await expect(store.listAttempts()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
