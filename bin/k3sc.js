#!/usr/bin/env node
// The k3sc CLI. The code lives in dist/ (built by `npm ci`/`npm install` through "prepare", or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('k3sc is not built yet: run `npm run build` (or `npm ci`) in the k3sc folder first.');
  process.exit(1);
}
const { main } = await import(entry.href);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  },
);
