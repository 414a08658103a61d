import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../core/ports/logger.js';
import { AGENT_SELECTOR, ANNOTATION } from './labels.js';
import { ResourceWatch } from './watch-resource.js';

export interface AgentCacheOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly logger?: Logger;
  /** Called with the attempt name whenever its Job or one of its pods changes (or goes). */
  readonly onChange?: (attemptName: string) => void;
  readonly silenceMs?: number;
  readonly watchTimeoutSeconds?: number;
}

const attemptOf = (o: V1Job | V1Pod): string | undefined => o.metadata?.annotations?.[ANNOTATION.attempt];

/**
 * Every agent Job and pod of one namespace, kept current by two watches (an informer-like
 * cache), so a status call per attempt costs no API request.
 */
export class AgentCache {
  readonly jobs: ResourceWatch<V1Job>;
  readonly pods: ResourceWatch<V1Pod>;

  constructor(o: AgentCacheOptions) {
    const batch = o.kubeConfig.makeApiClient(BatchV1Api);
    const core = o.kubeConfig.makeApiClient(CoreV1Api);
    const notify = (obj: V1Job | V1Pod): void => {
      const name = attemptOf(obj);
      if (name !== undefined) o.onChange?.(name);
    };
    const common = {
      kubeConfig: o.kubeConfig,
      labelSelector: AGENT_SELECTOR,
      onUpsert: notify,
      onDelete: notify,
      ...(o.logger === undefined ? {} : { logger: o.logger }),
      ...(o.silenceMs === undefined ? {} : { silenceMs: o.silenceMs }),
      ...(o.watchTimeoutSeconds === undefined ? {} : { watchTimeoutSeconds: o.watchTimeoutSeconds }),
    };
    this.jobs = new ResourceWatch<V1Job>({
      ...common,
      path: `/apis/batch/v1/namespaces/${o.namespace}/jobs`,
      list: () => batch.listNamespacedJob({ namespace: o.namespace, labelSelector: AGENT_SELECTOR }),
    });
    this.pods = new ResourceWatch<V1Pod>({
      ...common,
      path: `/api/v1/namespaces/${o.namespace}/pods`,
      list: () => core.listNamespacedPod({ namespace: o.namespace, labelSelector: AGENT_SELECTOR }),
    });
  }

  start(): this {
    this.jobs.start();
    this.pods.start();
    return this;
  }

  async synced(): Promise<void> {
    await Promise.all([this.jobs.synced(), this.pods.synced()]);
  }

  podsOf(attemptName: string): V1Pod[] {
    return this.pods.items().filter((p) => attemptOf(p) === attemptName);
  }

  async stop(): Promise<void> {
    await Promise.all([this.jobs.stop(), this.pods.stop()]);
  }
}
