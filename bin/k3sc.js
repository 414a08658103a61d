#!/usr/bin/env node
// The k3sc CLI. The code lives in dist/ (built by `npm ci`/`npm install` through "prepare", or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('k3sc is not built yet: run `npm run build` (or `npm ci`) in the k3sc folder first.');
  process.exit(1);
}
const argv = process.argv.slice(2);
const fail = (err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
};
// Lean start-up: a command a running `serve` can answer is forwarded to it without loading the
// rest of k3sc (no Octokit, lowdb, pino, config pipeline). Undefined means main() handles it.
const { forwardFromProcess } = await import(new URL('../dist/app/forward-cli.js', import.meta.url).href);
const forwarded = await forwardFromProcess(argv).catch((err) => (fail(err), 1));
if (forwarded !== undefined) {
  process.exitCode = forwarded;
} else {
  const { main } = await import(entry.href);
  main(argv).then((code) => {
    process.exitCode = code;
  }, fail);
}
