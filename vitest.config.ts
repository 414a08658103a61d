import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic and in-memory ports (seconds); `integration` starts real
// processes, git, loopback servers (the GitHub fake, serve) and files (about a minute).
// `cluster` (files `*.cluster.test.ts`) runs against a real kube-apiserver that its globalSetup
// builds once (cached outside the clone) and starts on loopback, or K3SC_TEST_KUBECONFIG's cluster.
// `e2e` (files `*.e2e.test.ts`) adds a real node: its globalSetup builds the container images
// (cached outside the clone), starts the control plane with kube-scheduler, and brings up
// containerd + kubelet in a network namespace of their own (scripts/node/up.sh); docs/e2e.md.
// `browser` (files `*.browser.test.ts`): Debian's chromium through playwright-core against serve.
// `npm test` runs every project (e2e needs root on Linux); `npm run test:<project>` runs one.
const unit = [
  'src/core/**/*.test.ts',
  'src/bot/**/*.test.ts',
  'src/adapters/config/**/*.test.ts',
  'src/adapters/store/**/*.test.ts',
  'src/testing/memory-*.test.ts',
  'src/bench/**/*.test.ts',
];

const browser = ['src/**/*.browser.test.ts'];

const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    // The JSON report is what .ci/run reads to print its "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: [
      { test: { ...shared, name: 'unit', include: unit } },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['src/**/*.test.ts'],
          exclude: [...unit, ...browser, 'src/**/*.cluster.test.ts', 'src/**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'cluster',
          include: ['src/**/*.cluster.test.ts'],
          globalSetup: ['src/testing/kube/cluster-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: ['src/**/*.e2e.test.ts'],
          globalSetup: ['src/testing/e2e/e2e-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One node: the files share it one after another.
          fileParallelism: false,
        },
      },
      // A real browser (Debian's chromium through playwright-core) against serve: `npm run test:browser`.
      { test: { ...shared, name: 'browser', include: browser, testTimeout: 90_000 } },
    ],
  },
});
