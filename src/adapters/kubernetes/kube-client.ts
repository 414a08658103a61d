import { readFileSync } from 'node:fs';
import {
  ApiException,
  KubeConfig,
  Observable,
  PatchStrategy,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { ConflictError, K3scError, NotFoundError } from '../../core/errors.js';

/**
 * Shared client setup for every Kubernetes adapter: where the KubeConfig comes from, which
 * namespace k3sc works in, per-call options (signal, timeout, patch content type) and the one
 * mapping from an ApiException to a K3scError.
 */
export const DEFAULT_NAMESPACE = 'claude-agents';
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const IN_CLUSTER_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface KubeConnectionOptions {
  /** A kubeconfig file; without it: in-cluster when running in a pod, else `$KUBECONFIG` / ~/.kube/config. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Environment to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const loadKubeConfig = (opts: KubeConnectionOptions = {}): KubeConfig => {
  const kc = new KubeConfig();
  const env = opts.env ?? process.env;
  if (opts.kubeconfig !== undefined) kc.loadFromFile(opts.kubeconfig);
  else if (env.KUBERNETES_SERVICE_HOST !== undefined && env.KUBECONFIG === undefined) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (opts.context !== undefined) kc.setCurrentContext(opts.context);
  if (kc.getCurrentCluster() === null)
    throw new K3scError(
      'config_invalid',
      'no Kubernetes cluster configured (kubeconfig has no current cluster)',
    );
  return kc;
};

/** The namespace: explicit, else the pod's own, else the kubeconfig context's, else `claude-agents`. */
export const resolveNamespace = (kc: KubeConfig, explicit?: string): string => {
  if (explicit !== undefined && explicit !== '') return explicit;
  try {
    const own = readFileSync(IN_CLUSTER_NAMESPACE_FILE, 'utf8').trim();
    if (own !== '') return own;
  } catch {
    // not in a pod
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return ctx?.namespace ?? DEFAULT_NAMESPACE;
};

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number;
  readonly patch?: 'merge' | 'apply';
}

/**
 * Options for one client-node call: aborts on the caller's signal or after the timeout, and
 * sets the patch content type (client-node 1.x defaults to JSON patch).
 */
export const callOptions = (opts: CallOptions = {}): ConfigurationOptions => {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const signal = opts.signal === undefined ? timeout : AbortSignal.any([opts.signal, timeout]);
  const contentType =
    opts.patch === 'merge'
      ? PatchStrategy.MergePatch
      : opts.patch === 'apply'
        ? PatchStrategy.ServerSideApply
        : undefined;
  const middleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      if (contentType !== undefined) ctx.setHeaderParam('Content-Type', contentType);
      return new Observable(Promise.resolve(ctx));
    },
    post: (rsp: ResponseContext) => new Observable(Promise.resolve(rsp)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
};

export const isApiStatus = (err: unknown, code: number): boolean =>
  err instanceof ApiException && err.code === code;

const statusMessage = (err: ApiException<unknown>): string => {
  const body: unknown = err.body;
  const parsed: unknown = typeof body === 'string' ? safeJson(body) : body;
  if (parsed !== null && typeof parsed === 'object' && 'message' in parsed) {
    const m = parsed.message;
    if (typeof m === 'string') return m;
  }
  return `HTTP ${err.code}`;
};

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
};

/**
 * The one mapping from a client-node failure to a K3scError. `what` names the object
 * (`AgentJob acme-widgets-12-1`). Aborts by the caller's signal are re-thrown as they are.
 */
export const kubeError = (err: unknown, what: string, signal?: AbortSignal): unknown => {
  if (err instanceof K3scError) return err;
  if (signal?.aborted === true) return signal.reason ?? err;
  if (err instanceof ApiException) {
    const detail = statusMessage(err);
    switch (err.code) {
      case 404:
        return new NotFoundError(`${what} not found`);
      case 409:
        return new ConflictError(`${what}: ${detail}`);
      case 401:
      case 403:
        return new K3scError('forbidden', `${what}: the Kubernetes API refused access (${detail})`, {
          cause: err,
        });
      case 400:
      case 422:
        return new K3scError('bad_input', `${what} was refused by the Kubernetes API: ${detail}`, {
          cause: err,
        });
      case 429:
        return new K3scError('rate_limited', `${what}: the Kubernetes API is throttling (${detail})`, {
          cause: err,
        });
      default:
        return new K3scError('unavailable', `${what}: the Kubernetes API failed (${detail})`, { cause: err });
    }
  }
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return new K3scError('unavailable', `${what}: the Kubernetes API did not answer in time`, { cause: err });
  return new K3scError('unavailable', `${what}: cannot reach the Kubernetes API (${String(err)})`, {
    cause: err,
  });
};
