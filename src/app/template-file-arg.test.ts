import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineTemplateFile } from './template-file-arg.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-tpl-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('--template-file on the CLI', () => {
  it('is read by the CLI and sent on as --template (both spellings, relative to the cwd)', async () => {
    await writeFile(join(dir, 't.md'), 'Fix {{title}}\n');
    expect(await inlineTemplateFile(['configs', 'save', 'x', '--template-file', 't.md'], dir)).toEqual([
      'configs',
      'save',
      'x',
      '--template',
      'Fix {{title}}\n',
    ]);
    expect(await inlineTemplateFile([`--template-file=${join(dir, 't.md')}`], '/')).toEqual([
      '--template',
      'Fix {{title}}\n',
    ]);
  });

  it('leaves other arguments alone and refuses a missing file with bad_input', async () => {
    expect(await inlineTemplateFile(['top', '--once'], dir)).toEqual(['top', '--once']);
    await expect(inlineTemplateFile(['--template-file', 'nope.md'], dir)).rejects.toMatchObject({
      code: 'bad_input',
      message: '--template-file nope.md: no such file',
    });
  });
});
