import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../bot/command-table.js';
import { COMMAND_GRAMMAR } from './command-grammar.js';
import { grammarOf, grammarSource } from './command-grammar-source.js';

const FILE = fileURLToPath(new URL('./command-grammar.ts', import.meta.url));

describe('src/app/command-grammar.ts', () => {
  it('is the command table without handlers (K3SC_UPDATE_GRAMMAR=1 rewrites it)', async () => {
    if (process.env['K3SC_UPDATE_GRAMMAR'] === '1') {
      const prettier = await import('prettier');
      const options = { ...(await prettier.resolveConfig(FILE)), filepath: FILE };
      await writeFile(FILE, await prettier.format(grammarSource(COMMANDS), options));
    }
    expect(
      COMMAND_GRAMMAR,
      'run K3SC_UPDATE_GRAMMAR=1 npx vitest run src/app/command-grammar.test.ts',
    ).toEqual(COMMANDS.map(grammarOf));
  });
});
