import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, usageLine } from './command-table.js';
import { commandsMarkdown } from './commands-doc.js';

const DOC = new URL('../../docs/commands.md', import.meta.url);

describe('docs/commands.md', () => {
  it('is exactly what commandsMarkdown() generates from the command table (UPDATE_DOCS=1 rewrites it)', () => {
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(DOC, commandsMarkdown());
    expect(readFileSync(DOC, 'utf8')).toBe(commandsMarkdown());
  });

  it('documents every command: usage, role, summary, options and examples', () => {
    const md = commandsMarkdown();
    for (const c of COMMANDS) {
      const section = md.split(`\n## ${c.name}\n`)[1]?.split('\n## ')[0] ?? '';
      expect(section, c.name).toContain(`k3sc ${usageLine(c)}`);
      expect(section).toContain(`Role: **${c.role}**`);
      expect(section).toContain(c.summary);
      for (const o of c.options ?? []) expect(section).toContain(`\`${o.flags}\``);
      for (const e of c.examples ?? []) expect(section).toContain(`k3sc ${e}`);
    }
  });
});
