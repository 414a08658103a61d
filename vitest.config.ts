import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic and in-memory ports (seconds); `integration` starts real
// processes, git, loopback servers (the GitHub fake, serve) and files (about a minute).
// `npm test` runs both, and `browser` (*.browser.test.ts); `npm run test:unit` /
// `npm run test:integration` / `npm run test:browser` run one.
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
          exclude: [...unit, ...browser],
        },
      },
      // A real browser (Debian's chromium through playwright-core) against serve: `npm run test:browser`.
      { test: { ...shared, name: 'browser', include: browser, testTimeout: 90_000 } },
    ],
  },
});
