import { BatchV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineDeps } from '../core/engine/deps.js';
import { Engine } from '../core/engine/engine.js';
import { nullSink } from '../core/engine/events.js';
import { WorkItemsCache } from '../core/engine/work-items-cache.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/model/settings.js';
import { systemClock } from '../core/ports/clock.js';
import { silentLogger } from '../core/ports/logger.js';
import { createOctokit, GitHubTracker } from '../adapters/github/index.js';
import { sampleSpecBuilder } from '../adapters/kubernetes/__tests__/samples.js';
import { DEFAULT_JOB_SETTINGS } from '../adapters/kubernetes/job-settings.js';
import {
  createKubernetesRuntime,
  type KubernetesRuntime,
} from '../adapters/kubernetes/kubernetes-runtime.js';
import { attemptSelector } from '../adapters/kubernetes/labels.js';
import { KubeStateStore } from '../adapters/kubernetes/store/kube-state-store.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import {
  CrashSwitch,
  crashable,
  InjectedCrash,
  RUNTIME_EFFECTS,
  STORE_EFFECTS,
  TRACKER_EFFECTS,
} from '../testing/crash-switch.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
  waitFor,
} from '../testing/kube/kube-test-env.js';

/**
 * The operator loop on the Kubernetes runtime and store, stopped after each of its side effects
 * in turn (record created, labels written, Job created, record marked running; Job done, labels,
 * outcome comment, record marked finished): a new process — new store, new runtime, new GitHub
 * client, cold caches — against the same API server and GitHub fake converges with nothing lost
 * or duplicated: one AgentJob, one Job, one outcome comment.
 */
const kc = adminConfig();
const REPO = { owner: 'acme', name: 'widgets' };
const TOKEN = 'ghp_operator_crash_bot_token_00000';
const NAME = 'acme-widgets-1-1';
const settings: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  repos: [REPO],
  allowedAuthors: ['alice'],
  botLogin: 'k3sc-bot',
};
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface World {
  readonly ns: string;
  readonly fake: GitHubFake;
  close(): Promise<void>;
}
interface Proc {
  readonly engine: Engine;
  readonly crash: CrashSwitch;
  readonly store: KubeStateStore;
  readonly runtime: KubernetesRuntime;
  close(): Promise<void>;
}

beforeAll(async () => {
  await installCrds(kc);
});

const newWorld = async (): Promise<World> => {
  const ns = await createNamespace(kc, 'op-crash');
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'k3sc-agent' } } });
  const fake = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  fake.addRepo(REPO);
  const issue = fake.addIssue(REPO, { title: 'Add a widget', author: 'alice' });
  fake.applyLabelAs(REPO, issue, 'ready', 'alice');
  return {
    ns,
    fake,
    close: async () => {
      await fake.close();
      await deleteNamespace(kc, ns);
    },
  };
};

/** One k3sc process: its own store, runtime (no watch: every read goes to the API), client and caches. */
const startProcess = (w: World, crash = new CrashSwitch()): Proc => {
  const store = new KubeStateStore({ kubeConfig: kc, namespace: w.ns });
  const runtime = createKubernetesRuntime({
    kubeConfig: kc,
    settings: { ...DEFAULT_JOB_SETTINGS, namespace: w.ns },
    buildSpec: sampleSpecBuilder,
    watch: false,
  });
  const client = createOctokit({
    baseUrl: w.fake.url,
    auth: { kind: 'token', token: TOKEN },
    throttle: { minTime: 0 },
    retries: 0,
  });
  const deps: EngineDeps = {
    settings,
    tracker: crashable(new GitHubTracker({ client }), crash, 'tracker', TRACKER_EFFECTS),
    store: crashable(store, crash, 'store', STORE_EFFECTS),
    runtime: crashable(runtime, crash, 'runtime', RUNTIME_EFFECTS),
    clock: systemClock,
    logger: silentLogger,
    events: nullSink,
    queue: new KeyedQueue(),
    cache: new WorkItemsCache(),
  };
  return {
    engine: new Engine(deps),
    crash,
    store,
    runtime,
    close: async () => {
      await runtime.close();
      await store.close();
    },
  };
};

/** The kubelet's part: the attempt's pod ran and exited 0; the job controller completes the Job. */
const podSucceeds = async (ns: string): Promise<void> => {
  const core = kc.makeApiClient(CoreV1Api);
  const pod = await waitFor(
    'the agent pod',
    async () =>
      (await core.listNamespacedPod({ namespace: ns, labelSelector: attemptSelector(NAME) })).items[0],
  );
  const now = new Date();
  await core.patchNamespacedPodStatus(
    {
      name: pod.metadata!.name!,
      namespace: ns,
      body: {
        status: {
          phase: 'Succeeded',
          containerStatuses: [
            {
              name: 'agent',
              image: 'k3sc-agent:latest',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
            },
          ],
        },
      },
    },
    merge,
  );
  const batch = kc.makeApiClient(BatchV1Api);
  await waitFor('the Job completes', async () =>
    (await batch.readNamespacedJob({ name: NAME, namespace: ns })).status?.conditions?.some(
      (c) => c.type === 'Complete' && c.status === 'True',
    ),
  );
};

const jobsOf = async (ns: string): Promise<number> =>
  (
    await kc
      .makeApiClient(BatchV1Api)
      .listNamespacedJob({ namespace: ns, labelSelector: attemptSelector(NAME) })
  ).items.length;

/** Crashes `act` after its 1st, 2nd, … side effect; after each, a new process converges. */
const everyWindow = async (
  setup: (w: World) => Promise<void>,
  act: (p: Proc) => Promise<unknown>,
  converge: (p: Proc, w: World) => Promise<void>,
  check: (w: World, p: Proc, where: string) => Promise<void>,
): Promise<number> => {
  let windows = 0;
  for (let at = 1; at < 20; at++) {
    const w = await newWorld();
    try {
      await setup(w);
      const dying = startProcess(w, new CrashSwitch(at));
      await act(dying).catch((err: unknown) => {
        if (!(err instanceof InjectedCrash) && !dying.crash.fired) throw err;
      });
      await dying.close();
      if (!dying.crash.fired) return windows;
      windows++;
      const next = startProcess(w);
      await converge(next, w);
      await check(w, next, `crash after effect ${at} (${dying.crash.done.at(-1) ?? '?'})`);
      await next.close();
    } finally {
      await w.close();
    }
  }
  return windows;
};

describe('operator loop crash convergence (Kubernetes store and runtime, real API server)', () => {
  it('dispatch: a crash between any two steps ends with one AgentJob, one Job, the owner label', async () => {
    const windows = await everyWindow(
      () => Promise.resolve(),
      (p) => p.engine.pass(),
      async (p) => {
        for (let i = 0; i < 3; i++) await p.engine.pass();
      },
      async (w, p, where) => {
        const attempts = await p.store.listAttempts();
        expect(
          attempts.map((a) => [a.name, a.phase]),
          where,
        ).toEqual([[NAME, 'running']]);
        expect(await jobsOf(w.ns), where).toBe(1);
        expect(w.fake.getIssue(REPO, 1)?.labels, where).toEqual([attempts[0]!.slot]);
      },
    );
    expect(windows).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it('finish: a crash between any two steps applies the outcome exactly once', async () => {
    const windows = await everyWindow(
      async (w) => {
        const p = startProcess(w);
        await p.engine.pass();
        await p.close();
        await podSucceeds(w.ns);
      },
      (p) => p.engine.pass(),
      async (p) => {
        for (let i = 0; i < 3; i++) await p.engine.pass();
      },
      async (w, p, where) => {
        const attempts = await p.store.listAttempts();
        const implement = attempts.filter((a) => a.kind === 'implement');
        expect(
          implement.map((a) => [a.name, a.phase]),
          where,
        ).toEqual([[NAME, 'succeeded']]);
        expect(await jobsOf(w.ns), where).toBe(1);
        // The review follows (at most one), owned by another family's slot.
        const reviews = attempts.filter((a) => a.kind === 'review');
        expect(reviews.length, where).toBeLessThanOrEqual(1);
        const labels = w.fake.getIssue(REPO, 1)?.labels ?? [];
        expect(labels, where).toEqual(reviews[0] ? [reviews[0].slot] : ['needs-review']);
        const comments = w.fake.getComments(REPO, 1).map((c) => c.body);
        expect(new Set(comments).size, where).toBe(comments.length);
      },
    );
    expect(windows).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
