import type { GitHubFake } from '../sandbox/github-fake/index.js';
import { ALLOWED_AUTHOR } from './fixture.js';
import type { BenchCluster } from './kube-env.js';
import { startKubeReplica, watchJobs, type KubeReplica } from './kube-farm.js';
import { sleep } from './owner-label.js';
import type { Progress } from './report.js';
import { labeledBody, postSignedWebhook, startWebhookEndpoint } from './webhook-sender.js';

const SECRET = 'bench-kube-webhook-secret';

const leading = async (r: KubeReplica): Promise<void> => {
  while (!r.isLeader()) await sleep(50);
  await sleep(1_500); // its first (full) scan
};

/**
 * Signed webhook → the Job on the API server: one leading replica as `serve` builds it, its
 * webhook route calling engine.trigger; the time runs from the POST to the Job's ADDED event.
 */
export const webhookToJob = async (
  env: BenchCluster,
  fake: GitHubFake,
  dir: string,
  o: { reps: number; warmups: number },
  progress: Progress,
): Promise<number[]> => {
  const repo = { owner: 'bench', name: 'kube-webhook' };
  fake.addRepo(repo);
  const namespace = await env.namespace('bench-webhook');
  const replica = await startKubeReplica({ kc: env.kc, namespace, dir, id: 'webhook', fake, repo });
  const endpoint = await startWebhookEndpoint(SECRET, (e) => replica.built.engine.trigger(e.repo));
  const jobs = await watchJobs(env.kc, namespace);
  const out: number[] = [];
  try {
    await leading(replica);
    for (let i = 0; i < o.reps + o.warmups; i++) {
      const n = fake.addIssue(repo, { title: `webhook ${i}`, author: ALLOWED_AUTHOR, labels: ['ready'] });
      const t0 = performance.now();
      const created = jobs.created(n);
      await postSignedWebhook(endpoint.url, SECRET, 'issues', labeledBody(repo, n, 'ready', ALLOWED_AUTHOR));
      const t = await created;
      if (i >= o.warmups) out.push(t - t0);
      await sleep(300); // the pass finishes (comment, record) before the next issue
    }
    progress(`kube webhook → Job: ${o.reps} measured`);
  } finally {
    jobs.stop();
    await endpoint.close();
    await replica.stop();
  }
  return out;
};

/** The naive intake: no webhooks, the replica polls GitHub every `pollSeconds`; an issue appears at a random moment. */
export const pollingToJob = async (
  env: BenchCluster,
  fake: GitHubFake,
  dir: string,
  o: { reps: number; pollSeconds: number },
  progress: Progress,
): Promise<number[]> => {
  const repo = { owner: 'bench', name: 'kube-polling' };
  fake.addRepo(repo);
  const namespace = await env.namespace('bench-polling');
  const replica = await startKubeReplica({
    kc: env.kc,
    namespace,
    dir,
    id: 'polling',
    fake,
    repo,
    pollSeconds: o.pollSeconds,
  });
  const jobs = await watchJobs(env.kc, namespace);
  const out: number[] = [];
  try {
    await leading(replica);
    for (let i = 0; i < o.reps; i++) {
      await sleep(Math.random() * o.pollSeconds * 1000);
      const n = fake.addIssue(repo, { title: `polling ${i}`, author: ALLOWED_AUTHOR, labels: ['ready'] });
      const t0 = performance.now();
      out.push((await jobs.created(n)) - t0);
    }
    progress(`kube polling → Job: ${o.reps} measured`);
  } finally {
    jobs.stop();
    await replica.stop();
  }
  return out;
};
