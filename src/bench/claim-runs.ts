import { K3scError } from '../core/errors.js';
import type { RepoRef } from '../core/model/refs.js';
import { DEFAULT_ENGINE_SETTINGS } from '../core/model/settings.js';
import type { GitHubFake } from '../sandbox/github-fake/index.js';
import { buildBenchEngine, type BenchEngine } from './bench-engine.js';
import { benchClient } from './client.js';
import { ALLOWED_AUTHOR } from './fixture.js';
import { ownerLabelSeen, sleep } from './owner-label.js';
import type { Progress } from './report.js';
import { labeledBody, postSignedWebhook, startWebhookEndpoint } from './webhook-sender.js';

/** How many claims each intake measures, against how big a farm. */
export interface LatencyOptions {
  readonly repos: number;
  readonly warmups: number;
  readonly reps: number;
  readonly pollReps: number;
  readonly pollIntervalMs: number;
}

const SECRET = 'bench-webhook-secret';
const CLAIM_TIMEOUT_MS = 15_000;

/** Starts `engine.run` and waits for its first (full) scan to finish. */
const startLoop = async (bench: BenchEngine): Promise<{ stop: () => Promise<void> }> => {
  const ctl = new AbortController();
  const first = bench.events.next((e) => e.type === 'scan');
  const loop = bench.engine.run(ctl.signal);
  await first;
  await sleep(20);
  return {
    stop: async () => {
      ctl.abort();
      await loop;
    },
  };
};

/** Webhook intake: each rep opens a ready issue, POSTs the signed `issues.labeled` delivery, waits for the owner label. */
export const webhookRun = async (
  fake: GitHubFake,
  repos: readonly RepoRef[],
  o: LatencyOptions,
  progress: Progress,
): Promise<{ claim: number[]; ack: number[]; requests: number[] }> => {
  const bench = buildBenchEngine({
    client: benchClient(fake),
    repos,
    settings: { maxSlots: o.warmups + o.reps },
  });
  const endpoint = await startWebhookEndpoint(SECRET, (e) => bench.engine.trigger(e.repo));
  const loop = await startLoop(bench);
  const claim: number[] = [];
  const ack: number[] = [];
  const requests: number[] = [];
  try {
    for (let i = 0; i < o.warmups + o.reps; i++) {
      const repo = repos[i % repos.length] as RepoRef;
      const n = fake.addIssue(repo, {
        title: `Webhook bench ${i}`,
        author: ALLOWED_AUTHOR,
        labels: ['ready'],
      });
      const labeled = ownerLabelSeen(fake, repo, n, CLAIM_TIMEOUT_MS);
      const passDone = bench.events.next((e) => e.type === 'scan' && e.dispatched > 0);
      fake.resetCounters();
      const t0 = performance.now();
      const status = await postSignedWebhook(
        endpoint.url,
        SECRET,
        'issues',
        labeledBody(repo, n, 'ready', ALLOWED_AUTHOR),
      );
      const tAck = performance.now();
      if (status !== 202)
        throw new K3scError('internal', `the webhook endpoint answered ${status}, expected 202`);
      const tLabel = await labeled;
      await passDone;
      await sleep(10); // let the loop go back to sleep, so the next rep starts from an idle engine
      if (i < o.warmups) continue;
      claim.push(tLabel - t0);
      ack.push(tAck - t0);
      requests.push(fake.counters.requests);
    }
    progress(`webhook latency: ${o.reps} claims measured`);
  } finally {
    await loop.stop();
    await endpoint.close();
  }
  return { claim, ack, requests };
};

/** Polling only: the loop scans every `pollIntervalMs`; a ready issue appears at a random moment. */
export const pollingRun = async (
  fake: GitHubFake,
  repos: readonly RepoRef[],
  o: LatencyOptions,
  progress: Progress,
): Promise<number[]> => {
  const scan = {
    ...DEFAULT_ENGINE_SETTINGS.scan,
    minIntervalMs: o.pollIntervalMs,
    maxIntervalMs: o.pollIntervalMs,
  };
  const bench = buildBenchEngine({
    client: benchClient(fake),
    repos,
    settings: { maxSlots: o.pollReps + 1, scan },
  });
  const loop = await startLoop(bench);
  const samples: number[] = [];
  try {
    for (let i = 0; i < o.pollReps; i++) {
      await sleep(Math.random() * o.pollIntervalMs);
      const repo = repos[i % repos.length] as RepoRef;
      const t0 = performance.now();
      const n = fake.addIssue(repo, {
        title: `Polling bench ${i}`,
        author: ALLOWED_AUTHOR,
        labels: ['ready'],
      });
      samples.push((await ownerLabelSeen(fake, repo, n, CLAIM_TIMEOUT_MS)) - t0);
    }
    progress(`polling latency: ${o.pollReps} claims measured`);
  } finally {
    await loop.stop();
  }
  return samples;
};
