import { benchClient } from './client.js';
import type { Heap, MemorySample } from './heap.js';
import type { MeasureReport } from './report.js';
import { SCALE_REPOS, type MemoryStep, type ScaleSetup } from './scale-setup.js';
import { int, mib, type Table } from './table.js';

export interface MemoryRow {
  readonly step: string;
  readonly heapUsedBytes: number;
  readonly heapDeltaBytes: number;
  readonly rssBytes: number;
  readonly rssDeltaBytes: number;
}

export interface MemoryFigures {
  readonly items: number;
  readonly rows: readonly MemoryRow[];
  /** Heap the engine keeps per cached item (issue or PR), from the first-scan step. */
  readonly k3scBytesPerItem: number;
  readonly naiveBytesPerItem: number;
  /** Size of one item's JSON as the fake sends it (real GitHub sends several times more). */
  readonly wireJsonBytesPerItem: number;
  readonly gc: string;
}

const rowOf = (step: string, s: MemorySample, prev: MemorySample): MemoryRow => ({
  step,
  heapUsedBytes: s.heapUsed,
  heapDeltaBytes: s.heapUsed - prev.heapUsed,
  rssBytes: s.rss,
  rssDeltaBytes: s.rss - prev.rss,
});

/**
 * The naive way to hold the same items: Octokit's raw REST objects, every page of every repo.
 * Samples while they are held; they are garbage once this returns.
 */
const holdRawListing = async (
  s: ScaleSetup,
  heap: Heap,
): Promise<{ items: number; jsonBytes: number; sample: MemorySample }> => {
  const client = benchClient(s.fake);
  const held: unknown[][] = [];
  for (const r of s.repos) {
    held.push(
      await client.paginate('GET /repos/{owner}/{repo}/issues', {
        owner: r.owner,
        repo: r.name,
        state: 'open',
        per_page: 100,
      }),
    );
  }
  const sample = heap.sample();
  return { items: held.reduce((n, r) => n + r.length, 0), jsonBytes: JSON.stringify(held).length, sample };
};

const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;

const tableOf = (f: MemoryFigures): Table => ({
  title: `4. Memory of the engine with ${SCALE_REPOS} repos x 200 items cached (after GC)`,
  columns: [
    { header: 'step' },
    { header: 'heap MiB' },
    { header: 'delta' },
    { header: 'RSS MiB' },
    { header: 'delta' },
  ],
  rows: f.rows.map((r) => [
    r.step,
    mib(r.heapUsedBytes),
    signed(r.heapDeltaBytes),
    mib(r.rssBytes),
    signed(r.rssDeltaBytes),
  ]),
  notes: [
    `k3sc keeps ~${int(f.k3scBytesPerItem)} bytes of heap per cached item (${int(f.items)} items: snapshots, ETag pages, trust verdicts, PR branches).`,
    `naive: the same ${int(f.items)} items as the raw REST objects Octokit returns (what a tool without a mapped cache holds during every scan or render): ~${int(f.naiveBytesPerItem)} bytes per item.`,
    `The fake's issue JSON is lean (~${int(f.wireJsonBytesPerItem)} bytes per item, ~15 fields); real GitHub sends ~40 fields with full user objects, so the naive row understates GitHub by several times. k3sc's snapshot size does not depend on it.`,
    'Each delta is against the row above; the naive row is measured last, on top of everything else, then dropped.',
    'RSS follows V8 and the allocator, not live objects, so RSS deltas are rough. The GitHub fake runs in the same process; its row is not k3sc.',
    `GC: ${f.gc}.`,
  ],
});

/** Measure 4: heap and RSS of the engine at scale, against holding the raw REST responses. */
export const measureMemory = async (s: ScaleSetup, heap: Heap): Promise<MeasureReport<MemoryFigures>> => {
  const steps: MemoryStep[] = [...s.steps];
  const { items, jsonBytes, sample } = await holdRawListing(s, heap);
  steps.push({ step: `naive: + the same ${int(items)} items as raw REST objects`, sample });
  const rows = steps.map((st, i) => rowOf(st.step, st.sample, (steps[i - 1] ?? st).sample));
  const engineRow = rows[2];
  const naiveRow = rows[rows.length - 1];
  const figures: MemoryFigures = {
    items,
    rows,
    k3scBytesPerItem: (engineRow?.heapDeltaBytes ?? 0) / items,
    naiveBytesPerItem: (naiveRow?.heapDeltaBytes ?? 0) / items,
    wireJsonBytesPerItem: jsonBytes / items,
    gc: heap.how,
  };
  return { tables: [tableOf(figures)], figures, findings: [] };
};
