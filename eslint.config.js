import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkImports = ['@slack/*', 'discord.js', '@discordjs/*', '@octokit/*', '@kubernetes/*', 'lowdb', 'lowdb/*', 'node-cron', 'pino', 'yaml', 'commander'];

export default tseslint.config(
  // scripts/ holds shell and plain-JS helpers (no tsconfig project); they are tested through e2e.
  { ignores: ['dist/', 'node_modules/', 'bin/', '.cache/', 'scripts/', 'eslint.config.js', 'vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      complexity: ['warn', 20],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...sdkImports, 'node:fs', 'node:fs/*', 'node:child_process', 'node:http', 'node:net', '../adapters/*', '../../adapters/*', '../bot/*', '../../bot/*', '../app/*', '../../app/*', '../runner/*', '../../runner/*'] }],
      'no-restricted-globals': ['error', 'process'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'use the Clock port' }],
    },
  },
  {
    // The bot talks to the core facade (src/core/api) only: no ports, engine or use-case internals
    // (their types are re-exported by src/core/api/farm-api.ts), no adapters, nothing from the app.
    files: ['src/bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/core/ports/*', '**/core/engine/*', '**/core/usecases/*'], message: 'src/bot calls the core facade: import from src/core/api/farm-api.ts' },
        { group: ['**/adapters/*', '**/adapters/**'], message: 'src/bot never imports adapters; the composition root (src/app) wires them' },
        { group: ['**/app/*'], message: 'nothing imports upward: src/app composes src/bot, not the other way round' },
      ] }],
    },
  },
  {
    // Adapters implement ports: core's, and the bot's Transport (a chat transport may use the
    // transport contract, replies and renderers). Nothing else of the bot, nothing of the app.
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/bot/*', '!**/bot/transport.js', '!**/bot/reply.js', '!**/bot/render'], message: 'adapters may use only the bot\'s transport contract, replies and renderers' },
        { group: ['**/app/*'], message: 'nothing imports upward: src/app composes the adapters' },
        { group: ['**/runner/*', '!**/runner/__tests__'], message: 'the runner protocol and spec live in src/core/protocol; adapters never import the runner' },
      ] }],
    },
  },
  {
    files: ['src/**/*.test.ts', 'src/testing/**/*.ts', 'src/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The dashboard's one browser script: plain JS, no tsconfig project, browser globals.
    files: ['web/static/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'EventSource', 'console', 'setTimeout', 'clearTimeout', 'URL', 'location', 'navigator', 'HTMLElement', 'CSS', 'fetch', 'FormData', 'requestAnimationFrame'].map((g) => [g, 'readonly']),
      ),
    },
  },
);
