import type { RecordKind, StoredRecord } from '../../../core/model/stored-record.js';
import { ConflictError, isK3scError, K3scError } from '../../../core/errors.js';
import { storedRecordSchema } from '../../store/record-schemas.js';
import type { KubeRecord, ResourceClient } from './custom-resources.js';
import { byCreatedThenName } from './kube-attempts.js';
import { baseLabels, LABELS, objectName } from './object-names.js';
import { checkedRecord, readSpec } from './record-codec.js';
import { conflictPause } from './conflict-pause.js';

/**
 * Generic records: `agent-config` as AgentConfig objects named after the record, every other
 * kind as K3scRecord objects named `<kind>.<name>` and labelled with their kind. Updates are
 * read-modify-write at the object's resourceVersion, retried on conflict.
 */
const MAX_TRIES = 30;

export class KubeRecords {
  constructor(
    private readonly configs: ResourceClient,
    private readonly others: ResourceClient,
  ) {}

  #client = (kind: RecordKind): ResourceClient => (kind === 'agent-config' ? this.configs : this.others);
  #objectName = (kind: RecordKind, name: string): string =>
    kind === 'agent-config' ? objectName(name) : objectName(`${kind}.${name}`);
  #labels = (kind: RecordKind): Record<string, string> => ({ ...baseLabels(), [LABELS.recordKind]: kind });

  #read(kind: RecordKind, obj: KubeRecord): StoredRecord {
    const client = this.#client(kind);
    const r = readSpec(
      storedRecordSchema,
      obj,
      (n) => client.describe(n),
      (x) => this.#objectName(x.kind, x.name),
    );
    if (r.kind !== kind)
      throw new K3scError(
        'state_corrupt',
        `${client.describe(obj.metadata.name ?? '')} is invalid: spec.kind is ${r.kind}, expected ${kind}`,
      );
    return r;
  }

  async create(record: StoredRecord, signal?: AbortSignal): Promise<void> {
    const r = checkedRecord(
      storedRecordSchema,
      record,
      `${record.kind} record ${record.name}`,
    ) as StoredRecord;
    try {
      await this.#client(r.kind).create(this.#objectName(r.kind, r.name), this.#labels(r.kind), r, signal);
    } catch (err) {
      if (isK3scError(err, 'conflict')) throw new ConflictError(`${r.kind} record ${r.name} already exists`);
      throw err;
    }
  }

  async get(kind: RecordKind, name: string, signal?: AbortSignal): Promise<StoredRecord | undefined> {
    const obj = await this.#client(kind).get(this.#objectName(kind, name), signal);
    return obj === undefined ? undefined : this.#read(kind, obj);
  }

  async list(kind: RecordKind, prefix = '', signal?: AbortSignal): Promise<StoredRecord[]> {
    const items = await this.#client(kind).list(`${LABELS.recordKind}=${kind}`, signal);
    return items
      .map((o) => this.#read(kind, o))
      .filter((r) => r.name.startsWith(prefix))
      .sort(byCreatedThenName);
  }

  async update(
    kind: RecordKind,
    name: string,
    fn: (current: StoredRecord | undefined) => StoredRecord | undefined,
    signal?: AbortSignal,
  ): Promise<StoredRecord | undefined> {
    const client = this.#client(kind);
    const objName = this.#objectName(kind, name);
    for (let tries = 0; ; tries++) {
      const obj = await client.get(objName, signal);
      const current = obj === undefined ? undefined : this.#read(kind, obj);
      const next = fn(current === undefined ? undefined : structuredClone(current));
      try {
        if (next === undefined) {
          if (obj !== undefined) await client.delete(objName, obj.metadata.resourceVersion, signal);
          return undefined;
        }
        const r = checkedRecord(storedRecordSchema, next, `${kind} record ${name}`) as StoredRecord;
        if (r.kind !== kind || r.name !== name)
          throw new K3scError('bad_input', `${kind} record ${name} cannot change its kind or name`);
        if (obj === undefined) await client.create(objName, this.#labels(kind), r, signal);
        else await client.replace(objName, obj.metadata.resourceVersion ?? '', this.#labels(kind), r, signal);
        return structuredClone(r);
      } catch (err) {
        if (isK3scError(err, 'conflict') && tries < MAX_TRIES) {
          await conflictPause(tries, signal);
          continue;
        }
        throw err;
      }
    }
  }

  async delete(kind: RecordKind, name: string, signal?: AbortSignal): Promise<boolean> {
    return this.#client(kind).delete(this.#objectName(kind, name), undefined, signal);
  }

  async prune(kind: RecordKind, before: string, signal?: AbortSignal): Promise<number> {
    const cutoff = Date.parse(before);
    const client = this.#client(kind);
    let removed = 0;
    for (const obj of await client.list(`${LABELS.recordKind}=${kind}`, signal)) {
      if (!(Date.parse(this.#read(kind, obj).updatedAt) < cutoff)) continue;
      // At its resourceVersion: a record updated meanwhile is kept.
      const gone = await client
        .delete(obj.metadata.name ?? '', obj.metadata.resourceVersion, signal)
        .catch((err: unknown) => {
          if (isK3scError(err, 'conflict')) return false;
          throw err;
        });
      if (gone) removed++;
    }
    return removed;
  }
}
