import {
  ApiException,
  ApiextensionsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  loadYaml,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { K3scError } from '../../../core/errors.js';
import { isApiStatus, kubeError } from '../kube-client.js';

/** k3sc's field manager for everything `deploy` and `rotate-secrets` apply. */
export const FIELD_MANAGER = 'k3sc';

/** `unchecked`: a dry run with no reachable API server (rendered only). */
export type StepResult = 'created' | 'configured' | 'unchanged' | 'unchecked';

export interface ApplyStep {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly result: StepResult;
  /** e.g. `Established`, `took over fields from kubectl-client-side-apply`. */
  readonly note?: string;
}

export interface ApplyOptions {
  /** Server-side dry run: the API server validates and answers, nothing is stored. */
  readonly dryRun?: boolean;
  /** Each step as soon as it is done (for live output). */
  readonly onStep?: (s: ApplyStep) => void;
  /** How long to wait for a CRD to become Established (default 60 s). */
  readonly establishTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const describeObject = (o: KubernetesObject): string =>
  `${o.kind ?? '?'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;

/** Plain parsed YAML as client-node's typed models, so its serializer keeps every field (x-kubernetes-*). */
const typed = (o: KubernetesObject): KubernetesObject => loadYaml<KubernetesObject>(JSON.stringify(o));

/** What a no-op apply leaves as it was: everything but bookkeeping (managedFields, versions, status). */
const comparable = (o: KubernetesObject): string => {
  const { managedFields: _m, resourceVersion: _r, generation: _g, ...meta } = o.metadata ?? {};
  const { status: _s, ...rest } = o as KubernetesObject & { status?: unknown };
  return JSON.stringify({ ...rest, metadata: meta });
};

const bodyText = (err: ApiException<unknown>): string =>
  typeof err.body === 'string' ? err.body : JSON.stringify(err.body ?? '');

/** Managers named in a server-side apply conflict (`conflict with "kubectl-client-side-apply" ...`). */
export const conflictManagers = (err: unknown): string[] => {
  if (!(err instanceof ApiException) || err.code !== 409) return [];
  return [...bodyText(err).matchAll(/conflicts? with \\?"([^"\\]+)\\?"/g)].map((m) => m[1] ?? '');
};

/** Fields kubectl applied from these same manifests are ours to take; anyone else's are not. */
const isKubectl = (manager: string): boolean => /^kubectl(-[a-z-]+)?$/.test(manager);

export class ObjectApplier {
  private readonly objects: KubernetesObjectApi;
  private readonly crds: ApiextensionsV1Api;
  constructor(
    kc: KubeConfig,
    private readonly opts: ApplyOptions = {},
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.crds = kc.makeApiClient(ApiextensionsV1Api);
  }

  private async read(o: KubernetesObject): Promise<KubernetesObject | undefined> {
    try {
      return await this.objects.read({
        apiVersion: o.apiVersion ?? '',
        kind: o.kind ?? '',
        metadata: {
          name: o.metadata?.name ?? '',
          ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
        },
      });
    } catch (err) {
      if (isApiStatus(err, 404)) return undefined;
      // A kind the server does not know yet (its CRD is only being created by this dry run).
      if (
        this.opts.dryRun === true &&
        err instanceof Error &&
        /resource .* not found|no resource/i.test(err.message)
      )
        return undefined;
      throw kubeError(err, `get ${describeObject(o)}`);
    }
  }

  private patch(o: KubernetesObject, force: boolean): Promise<KubernetesObject> {
    return this.objects.patch(
      typed(o),
      undefined,
      this.opts.dryRun === true ? 'All' : undefined,
      FIELD_MANAGER,
      force,
      PatchStrategy.ServerSideApply,
    );
  }

  /** Server-side apply of one object; `force` for fields that are ours whoever wrote them last (Secrets). */
  async apply(o: KubernetesObject, force = false): Promise<ApplyStep> {
    const before = await this.read(o);
    let after: KubernetesObject;
    let note: string | undefined;
    try {
      after = await this.patch(o, force);
    } catch (err) {
      // A dry run into a namespace that does not exist yet: the server cannot check these objects.
      if (this.opts.dryRun === true && before === undefined && isApiStatus(err, 404) && o.metadata?.namespace)
        return this.step(o, 'created', `namespace ${o.metadata.namespace} is new: not checked by the server`);
      const managers = conflictManagers(err);
      if (managers.length === 0 || !managers.every(isKubectl))
        throw managers.length > 0
          ? new K3scError(
              'conflict',
              `apply ${describeObject(o)}: fields are owned by ${[...new Set(managers)].join(', ')} (server-side apply conflict); ` +
                `change them back or take them over with kubectl apply --server-side --field-manager=${FIELD_MANAGER} --force-conflicts`,
              { cause: err },
            )
          : kubeError(err, `apply (patch) ${describeObject(o)}`);
      after = await this.patch(o, true).catch((e: unknown) => {
        throw kubeError(e, `apply (patch) ${describeObject(o)}`);
      });
      note = `took over fields from ${[...new Set(managers)].join(', ')}`;
    }
    // Compared by content, not resourceVersion: the API server bumps that on some no-op applies (PVCs).
    const result: StepResult =
      before === undefined
        ? 'created'
        : comparable(before) === comparable(after)
          ? 'unchanged'
          : 'configured';
    return this.step(o, result, note);
  }

  step(o: KubernetesObject, result: StepResult, note?: string): ApplyStep {
    return {
      kind: o.kind ?? '',
      name: o.metadata?.name ?? '',
      ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
      result,
      ...(note === undefined ? {} : { note }),
    };
  }

  /** Waits until the CRD's Established condition is True. */
  async established(name: string): Promise<void> {
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const limit = this.opts.establishTimeoutMs ?? 60_000;
    for (let waited = 0; ; waited += 250) {
      const crd = await this.crds.readCustomResourceDefinition({ name }).catch((err: unknown) => {
        throw kubeError(err, `get CustomResourceDefinition ${name}`);
      });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
      if (waited >= limit)
        throw new K3scError(
          'unavailable',
          `CustomResourceDefinition ${name} was not Established after ${limit / 1000} s`,
        );
      await sleep(250);
    }
  }
}

const isCrd = (o: KubernetesObject): boolean => o.kind === 'CustomResourceDefinition';

/**
 * Applies `objects` with server-side apply (field manager `k3sc`): CRDs first, each waited for
 * until Established (not in a dry run: nothing is stored), then everything else in order.
 */
export const applyObjects = async (
  kc: KubeConfig,
  objects: readonly KubernetesObject[],
  opts: ApplyOptions = {},
): Promise<ApplyStep[]> => {
  const applier = new ObjectApplier(kc, opts);
  const steps: ApplyStep[] = [];
  const push = (s: ApplyStep): void => {
    steps.push(s);
    opts.onStep?.(s);
  };
  for (const crd of objects.filter(isCrd)) {
    const s = await applier.apply(crd);
    if (opts.dryRun !== true) await applier.established(crd.metadata?.name ?? '');
    push({ ...s, note: s.note ?? (opts.dryRun === true ? 'dry run' : 'Established') });
  }
  for (const o of objects.filter((x) => !isCrd(x))) push(await applier.apply(o));
  return steps;
};
