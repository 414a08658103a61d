import { CustomObjectsApi, type KubeConfig, type V1ObjectMeta } from '@kubernetes/client-node';
import { K3scError, isK3scError } from '../../../core/errors.js';
import { callOptions, isApiStatus, kubeError } from '../kube-client.js';
import { CRD_GROUP, CRD_VERSION, type ResourceKind } from '../crds/crd-definitions.js';

/** A k3sc custom resource as the store reads and writes it: metadata plus one record in `spec`. */
export interface KubeRecord {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: V1ObjectMeta;
  readonly spec: unknown;
}

export interface ResourceClientOptions {
  readonly namespace: string;
  readonly timeoutMs?: number;
}

/** One k3sc custom resource as the store writes it (and `dispatch --dry-run -o yaml` shows it). */
export const recordObject = (resource: ResourceKind, metadata: V1ObjectMeta, spec: unknown): KubeRecord => ({
  apiVersion: `${CRD_GROUP}/${CRD_VERSION}`,
  kind: resource.kind,
  metadata,
  spec,
});

/**
 * The calls the store makes on one kind of k3sc resource in one namespace, each with the
 * caller's signal and the request timeout, failures mapped to K3scError. `get` and
 * `delete` read NotFound as undefined / false; a create that exists and a write with a stale
 * resourceVersion both surface as ConflictError (code 409) for the caller to interpret.
 */
export class ResourceClient {
  readonly #api: CustomObjectsApi;
  readonly #base: { group: string; version: string; namespace: string; plural: string };
  readonly #timeoutMs: number | undefined;

  constructor(
    kc: KubeConfig,
    readonly resource: ResourceKind,
    opts: ResourceClientOptions,
  ) {
    this.#api = kc.makeApiClient(CustomObjectsApi);
    this.#base = {
      group: CRD_GROUP,
      version: CRD_VERSION,
      namespace: opts.namespace,
      plural: resource.plural,
    };
    this.#timeoutMs = opts.timeoutMs;
  }

  get namespace(): string {
    return this.#base.namespace;
  }

  /** `AgentJob claude-agents/acme-widgets-12-1`: how errors name an object. */
  describe(name: string): string {
    return `${this.resource.kind} ${this.#base.namespace}/${name}`;
  }

  async create(
    name: string,
    labels: Record<string, string>,
    spec: unknown,
    signal?: AbortSignal,
  ): Promise<KubeRecord> {
    return this.#call(name, signal, (o) =>
      this.#api.createNamespacedCustomObject({ ...this.#base, body: this.#body(name, labels, spec) }, o),
    );
  }

  async get(name: string, signal?: AbortSignal): Promise<KubeRecord | undefined> {
    try {
      return await this.#call(name, signal, (o) =>
        this.#api.getNamespacedCustomObject({ ...this.#base, name }, o),
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list(labelSelector: string | undefined, signal?: AbortSignal): Promise<KubeRecord[]> {
    const list = await this.#call<{ items?: KubeRecord[] }>('(list)', signal, (o) =>
      this.#api.listNamespacedCustomObject(
        { ...this.#base, ...(labelSelector === undefined ? {} : { labelSelector }) },
        o,
      ),
    );
    return list.items ?? [];
  }

  /** Replaces the object if it is still at `resourceVersion` (ConflictError otherwise). */
  async replace(
    name: string,
    resourceVersion: string,
    labels: Record<string, string>,
    spec: unknown,
    signal?: AbortSignal,
  ): Promise<KubeRecord> {
    const body = this.#body(name, labels, spec, resourceVersion);
    return this.#call(name, signal, (o) =>
      this.#api.replaceNamespacedCustomObject({ ...this.#base, name, body }, o),
    );
  }

  /** Deletes the object (only at `resourceVersion` when given); false when it did not exist. */
  async delete(name: string, resourceVersion?: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#call(name, signal, (o) =>
        this.#api.deleteNamespacedCustomObject(
          {
            ...this.#base,
            name,
            ...(resourceVersion === undefined ? {} : { body: { preconditions: { resourceVersion } } }),
          },
          o,
        ),
      );
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  #body(name: string, labels: Record<string, string>, spec: unknown, resourceVersion?: string): KubeRecord {
    return recordObject(
      this.resource,
      { name, labels, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
      spec,
    );
  }

  async #call<T>(
    name: string,
    signal: AbortSignal | undefined,
    fn: (o: ReturnType<typeof callOptions>) => Promise<unknown>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return (await fn(
          callOptions({ signal, ...(this.#timeoutMs === undefined ? {} : { timeoutMs: this.#timeoutMs }) }),
        )) as T;
      } catch (err) {
        // 429 (priority and fairness, or storage re-initialising after a CRD change): wait as told, a few times.
        if (isApiStatus(err, 429) && attempt < MAX_THROTTLED_TRIES) {
          await sleep(retryAfterMs(err), signal);
          continue;
        }
        if (isApiStatus(err, 404) && !objectMissing(err, name))
          throw new K3scError(
            'unavailable',
            `${this.resource.kind} resources are not served in namespace ${this.namespace}: are the CRDs (manifests/base/crds) installed and the namespace created?`,
            { cause: err },
          );
        throw kubeError(err, this.describe(name), signal);
      }
    }
  }
}

/** A 404 about the object itself (its name in `details`), not about a missing CRD or namespace. */
const objectMissing = (err: unknown, name: string): boolean => {
  const body: unknown = (err as { body?: unknown }).body;
  let parsed: unknown = body;
  try {
    if (typeof body === 'string') parsed = JSON.parse(body) as unknown;
  } catch {
    return false;
  }
  const details = (parsed as { details?: { name?: unknown; kind?: unknown } } | null)?.details;
  return details?.name === name;
};

const isNotFound = (err: unknown): boolean => isK3scError(err, 'not_found');

const MAX_THROTTLED_TRIES = 5;

/** The server's Retry-After (header or Status details), 1 s when it gives none, at most 10 s. */
const retryAfterMs = (err: unknown): number => {
  const e = err as { headers?: Record<string, string>; body?: unknown };
  let seconds = Number(e.headers?.['retry-after']);
  if (!Number.isFinite(seconds) && typeof e.body === 'string') {
    try {
      const status = JSON.parse(e.body) as { details?: { retryAfterSeconds?: number } };
      seconds = Number(status.details?.retryAfterSeconds);
    } catch {
      /* not a Status */
    }
  }
  return Math.min(10, Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
};

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
