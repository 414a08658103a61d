import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { isApiStatus, kubeError } from '../kube-client.js';
import { ObjectApplier, type StepResult } from './apply-objects.js';
import { valueHash, type PlannedSecret } from './secret-sources.js';

/**
 * Creates or updates the planned Secrets: each local key is written (server-side apply, field
 * manager `k3sc`, forced: these values are ours whoever wrote them last); keys already in the
 * Secret with no local source are kept as they are. Changes are found by comparing hashes of the
 * stored and the local values; nothing here ever returns or logs a value.
 */
/** `unchecked`: a dry run that could not reach the API server to compare. */
export type KeyChange = 'added' | 'changed' | 'unchanged' | 'kept' | 'unchecked';

export interface KeyReport {
  readonly key: string;
  readonly change: KeyChange;
  /** Where the local value came from (`env:NAME`, `file:PATH`); absent for kept keys. */
  readonly source?: string;
  /** valueHash of the value now in the Secret. */
  readonly hash: string;
}

export interface SecretReport {
  readonly name: string;
  readonly namespace: string;
  readonly role: PlannedSecret['role'];
  readonly family?: string;
  readonly result: StepResult;
  readonly keys: readonly KeyReport[];
}

const decode = (data: Record<string, string> | undefined): Map<string, string> =>
  new Map(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

export const keyChanges = (stored: ReadonlyMap<string, string>, s: PlannedSecret): KeyReport[] => {
  const local = new Map(s.entries.map((e) => [e.key, e]));
  const reports: KeyReport[] = s.entries.map((e) => {
    const before = stored.get(e.key);
    const change: KeyChange = before === undefined ? 'added' : before === e.value ? 'unchanged' : 'changed';
    return { key: e.key, change, source: e.source, hash: valueHash(e.value) };
  });
  for (const [key, value] of stored)
    if (!local.has(key)) reports.push({ key, change: 'kept', hash: valueHash(value) });
  return reports.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
};

/** The planned Secrets as a dry run reports them when the API server cannot be reached. */
export const uncheckedSecrets = (namespace: string, secrets: readonly PlannedSecret[]): SecretReport[] =>
  secrets.map((s) => ({
    name: s.name,
    namespace,
    role: s.role,
    ...(s.family === undefined ? {} : { family: s.family }),
    result: 'unchecked',
    keys: s.entries.map((e) => ({
      key: e.key,
      change: 'unchecked',
      source: e.source,
      hash: valueHash(e.value),
    })),
  }));

export const applySecrets = async (
  kc: KubeConfig,
  namespace: string,
  secrets: readonly PlannedSecret[],
  opts: { dryRun?: boolean } = {},
): Promise<SecretReport[]> => {
  const core = kc.makeApiClient(CoreV1Api);
  const applier = new ObjectApplier(kc, opts);
  const reports: SecretReport[] = [];
  for (const s of secrets) {
    let current: V1Secret | undefined;
    try {
      current = await core.readNamespacedSecret({ name: s.name, namespace });
    } catch (err) {
      if (!isApiStatus(err, 404)) throw kubeError(err, `get Secret ${namespace}/${s.name}`);
    }
    const stored = decode(current?.data);
    const keys = keyChanges(stored, s);
    const dirty = keys.some((k) => k.change === 'added' || k.change === 'changed');
    let result: StepResult = current === undefined ? 'created' : dirty ? 'configured' : 'unchanged';
    if (current === undefined || dirty) {
      const data: Record<string, string> = { ...(current?.data ?? {}) };
      for (const e of s.entries) data[e.key] = Buffer.from(e.value, 'utf8').toString('base64');
      const body: V1Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: s.name,
          namespace,
          labels: {
            'app.kubernetes.io/part-of': 'k3sc',
            'app.kubernetes.io/managed-by': 'k3sc',
            ...(s.family === undefined ? {} : { 'k3sc.dev/family': s.family }),
          },
        },
        type: 'Opaque',
        data,
      };
      result = (await applier.apply(body, true)).result;
    }
    reports.push({
      name: s.name,
      namespace,
      role: s.role,
      ...(s.family === undefined ? {} : { family: s.family }),
      result,
      keys,
    });
  }
  return reports;
};
