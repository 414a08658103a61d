import { describe, expect, it } from 'vitest';
import type { Reply } from '../reply.js';
import { errorReply, textReply } from '../reply.js';
import { renderText } from './text.js';

const table = (rows: string[][], empty?: string): Reply => ({
  title: 't',
  data: null,
  blocks: [
    {
      type: 'table',
      title: 'Things',
      columns: ['name', 'note'],
      rows,
      ...(empty === undefined ? {} : { empty }),
    },
  ],
});

describe('renderText', () => {
  it('aligns columns under upper-case headers and trims trailing space', () => {
    expect(
      renderText(
        table([
          ['a', 'x'],
          ['longer', ''],
        ]),
      ),
    ).toBe('Things\n  NAME    NOTE\n  a       x\n  longer');
  });

  it('clips long cells with an ellipsis and flattens whitespace', () => {
    const text = renderText(table([['n', `${'y'.repeat(30)}\n  tail`]]), { maxCell: 10 });
    expect(text.split('\n')[2]).toBe(`  n     ${'y'.repeat(9)}…`);
    expect(renderText(table([['n', 'two\nlines']]))).toContain('two lines');
  });

  it('shows the empty text of an empty table, or (none)', () => {
    expect(renderText(table([], 'nothing here'))).toBe('Things\n  nothing here');
    expect(renderText(table([]))).toBe('Things\n  (none)');
  });

  it('renders fields aligned, text as is, and actions only when asked', () => {
    const reply: Reply = {
      title: 'x',
      data: null,
      blocks: [
        {
          type: 'fields',
          fields: [
            ['a', '1'],
            ['longer', '2'],
          ],
        },
        { type: 'text', text: '' },
        { type: 'actions', buttons: [{ id: 'd', label: 'Dispatch now', command: 'dispatch' }] },
      ],
    };
    expect(renderText(reply)).toBe('a:      1\nlonger: 2\n\n');
    expect(renderText(reply, { showActions: true })).toBe(
      'a:      1\nlonger: 2\n\n\n\nactions: [Dispatch now] (dispatch)',
    );
  });

  it('renders replies built by the helpers', () => {
    expect(renderText(textReply('k', 'done'))).toBe('done');
    expect(renderText(errorReply('bad_input', 'x: fix it'))).toBe('error: x: fix it');
    expect(errorReply('internal', 'boom').exitCode).toBe(70);
  });
});
