import { expect, it } from 'vitest';
import type { StoredRecord } from '../../core/model/stored-record.js';
import type { StateStore } from '../../core/ports/state-store.js';

const rec = (over: Partial<StoredRecord> = {}): StoredRecord => ({
  kind: 'chat-message',
  name: 'acme-widgets-12-1',
  createdAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-01T10:00:00.000Z',
  data: { channel: 'C1', ts: '1.2', state: 'claimed' },
  ...over,
});

/** Named records of other parts: create is the lock, update is serialized, kinds are apart. */
export const recordContract = (store: () => StateStore): void => {
  it('creates a record once; a second create of the same kind and name is a conflict', async () => {
    await store().createRecord(rec());
    await expect(store().createRecord(rec({ data: 'other' }))).rejects.toMatchObject({
      code: 'conflict',
      message: 'chat-message record acme-widgets-12-1 already exists',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => store().createRecord(rec({ kind: 'alert-mark' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await store().getRecord('chat-message', 'acme-widgets-12-1')).toEqual(rec());
    expect(await store().getRecord('audit', 'acme-widgets-12-1')).toBeUndefined();
  });

  it('lists one kind by createdAt then name, with an optional name prefix', async () => {
    await store().createRecord(rec({ name: 'b-2', createdAt: '2025-03-01T09:00:00.000Z' }));
    await store().createRecord(rec({ name: 'a-1', createdAt: '2025-03-01T11:00:00.000Z' }));
    await store().createRecord(rec({ name: 'a-0', createdAt: '2025-03-01T11:00:00.000Z' }));
    await store().createRecord(rec({ kind: 'audit', name: 'a-9' }));
    expect((await store().listRecords('chat-message')).map((r) => r.name)).toEqual(['b-2', 'a-0', 'a-1']);
    expect((await store().listRecords('chat-message', { prefix: 'a-' })).map((r) => r.name)).toEqual([
      'a-0',
      'a-1',
    ]);
  });

  it('serializes read-modify-write updates, so 20 concurrent increments all count', async () => {
    const bump = (r: StoredRecord | undefined): StoredRecord =>
      rec({ kind: 'audit', name: 'counter', data: ((r?.data as number | undefined) ?? 0) + 1 });
    await Promise.all(Array.from({ length: 20 }, () => store().updateRecord('audit', 'counter', bump)));
    expect((await store().getRecord('audit', 'counter'))?.data).toBe(20);
  });

  it('deletes through update or delete, and reports whether anything was removed', async () => {
    await store().createRecord(rec());
    expect(await store().updateRecord('chat-message', 'acme-widgets-12-1', () => undefined)).toBeUndefined();
    expect(await store().getRecord('chat-message', 'acme-widgets-12-1')).toBeUndefined();
    expect(await store().deleteRecord('chat-message', 'acme-widgets-12-1')).toBe(false);
    await store().createRecord(rec());
    expect(await store().deleteRecord('chat-message', 'acme-widgets-12-1')).toBe(true);
  });

  it('prunes records last updated before a time and keeps the rest', async () => {
    await store().createRecord(rec({ kind: 'audit', name: 'old', updatedAt: '2025-01-01T00:00:00.000Z' }));
    await store().createRecord(rec({ kind: 'audit', name: 'new', updatedAt: '2025-03-02T00:00:00.000Z' }));
    expect(await store().pruneRecords('audit', '2025-02-01T00:00:00.000Z')).toBe(1);
    expect((await store().listRecords('audit')).map((r) => r.name)).toEqual(['new']);
  });

  it('refuses bad names, oversized data and a changed identity with a clear error, storing nothing', async () => {
    await expect(store().createRecord(rec({ name: 'Has Spaces' }))).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('lower-case letters') as string,
    });
    await expect(store().createRecord(rec({ data: 'x'.repeat(70_000) }))).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('at most 65536 bytes') as string,
    });
    await expect(
      store().updateRecord('chat-message', 'one', () => rec({ name: 'two' })),
    ).rejects.toMatchObject({ code: 'bad_input' });
    expect(await store().listRecords('chat-message')).toEqual([]);
  });
};
