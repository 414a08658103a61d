import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { openHeap } from './heap.js';
import type { MeasureReport } from './report.js';
import { measureScanRequests } from './scan-requests.js';
import { formatTable } from './table.js';
import { measureWebhookLatency } from './webhook-latency.js';
import { measureMemory } from './engine-memory.js';
import { buildScaleSetup } from './scale-setup.js';
import { measureTop } from './top-render.js';
import { measureCli } from './cli-startup.js';
import { measureChatAck } from './chat-ack.js';
import { measureChatBudget } from './chat-budget.js';
import { measureChatBudgetLive } from './chat-budget-live.js';
import { measureWebSse } from './web-sse.js';
import { measureDashboardPush } from './web-dashboard-push.js';
import { KUBE_DEFAULTS, measureKube } from './kube.js';

const MEASURES = ['scan', 'webhook', 'top', 'memory', 'cli', 'chat', 'web', 'kube'] as const;
type MeasureName = (typeof MEASURES)[number];

interface Options {
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: readonly MeasureName[];
}

const USAGE = [
  'usage: node dist/bench/run.js [--json] [--quick] [--only scan,webhook,top,memory,cli,chat,web,kube]',
  '  --json   print every figure as one JSON document instead of tables',
  '  --quick  fewer repetitions and repositories (a smoke run)',
  '  --only   run only the named measures',
].join('\n');

const parseOnly = (v: string | undefined): MeasureName[] => {
  if (v === undefined) return [...MEASURES];
  const names = v.split(',').map((x) => x.trim());
  const bad = names.filter((x) => !(MEASURES as readonly string[]).includes(x));
  if (bad.length > 0) throw new Error(`unknown measure ${bad.join(', ')}; use ${MEASURES.join(', ')}`);
  return names as MeasureName[];
};

const options = (): Options | undefined => {
  try {
    const { values } = parseArgs({
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
        only: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) return undefined;
    return { json: values.json ?? false, quick: values.quick ?? false, only: parseOnly(values.only) };
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
};

const machine = (): Record<string, unknown> => ({
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
});

const webMeasure = (quick: boolean, heap: ReturnType<typeof openHeap>, progress: (l: string) => void) =>
  measureWebSse({ lines: quick ? 40 : 200, lineEveryMs: 50, clients: 200, pollMs: 1000 }, heap, progress);

/** The measures that start processes or servers of their own: the CLI, the chat endpoints, the web page's live log. */
const processMeasures = async (
  want: (m: MeasureName) => boolean,
  q: boolean,
  heap: ReturnType<typeof openHeap>,
  progress: (l: string) => void,
  reports: Record<string, MeasureReport<unknown>>,
): Promise<void> => {
  if (want('cli'))
    reports['cli'] = await measureCli(
      { repos: q ? 10 : 50, oneShotReps: q ? 2 : 5, forwardReps: q ? 3 : 10 },
      progress,
    );
  if (want('chat'))
    reports['chatAck'] = await measureChatAck({ commands: q ? 200 : 1000, intervalMs: 20 }, progress);
  if (want('web')) reports['webSse'] = await webMeasure(q, heap, progress);
  if (want('web')) reports['webDashboardPush'] = await measureDashboardPush(progress);
};

const main = async (): Promise<number> => {
  const opts = options();
  if (!opts) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const heap = openHeap();
  const progress = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
  const started = performance.now();
  const reports: Record<string, MeasureReport<unknown>> = {};
  const q = opts.quick;
  const want = (m: MeasureName): boolean => opts.only.includes(m);
  if (want('scan')) reports['scanRequests'] = await measureScanRequests(q ? [1, 10] : [1, 10, 50], progress);
  if (want('webhook'))
    reports['webhookLatency'] = await measureWebhookLatency(
      { repos: 10, warmups: 2, reps: q ? 6 : 20, pollReps: q ? 3 : 10, pollIntervalMs: 1000 },
      progress,
    );
  if (want('top') || want('memory')) {
    const scale = await buildScaleSetup(heap, progress);
    try {
      if (want('top'))
        reports['topRender'] = await measureTop(
          scale,
          { cached: q ? 10 : 40, naive: q ? 2 : 5 },
          heap,
          progress,
        );
      if (want('memory')) reports['memory'] = await measureMemory(scale, heap);
    } finally {
      await scale.close();
    }
  }
  await processMeasures(want, q, heap, progress, reports);
  if (want('chat')) {
    reports['chatBudget'] = await measureChatBudget(q ? 20 : 60);
    reports['chatBudgetLive'] = await measureChatBudgetLive(q ? 10 : 20);
  }
  // Against a real kube-apiserver from scripts/kube/build.sh's cache (skipped, saying so, without it).
  if (want('kube')) reports['kube'] = await measureKube(KUBE_DEFAULTS(q), progress);
  const seconds = (performance.now() - started) / 1000;
  const findings = Object.values(reports).flatMap((r) => r.findings);
  if (opts.json) {
    const figures = Object.fromEntries(Object.entries(reports).map(([k, r]) => [k, r.figures]));
    const doc = { machine: machine(), quick: opts.quick, gc: heap.how, seconds, figures, findings };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const m = machine();
  const header = `k3sc benchmarks: node ${String(m['node'])}, ${String(m['cpus'])} CPUs (${String(m['cpuModel'])}), ${String(m['platform'])}${opts.quick ? ', --quick' : ''}`;
  const tables = Object.values(reports).flatMap((r) => r.tables.map(formatTable));
  const tail =
    findings.length === 0 ? ['Findings: none.'] : ['FINDINGS:', ...findings.map((f) => `  ! ${f}`)];
  process.stdout.write(
    `${[header, '', ...tables.flatMap((t) => [t, '']), ...tail, `(total ${seconds.toFixed(1)} s)`].join('\n')}\n`,
  );
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
