import type { Block, Reply } from '../reply.js';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`);

const renderTable = (b: Extract<Block, { type: 'table' }>, maxCell: number): string => {
  const head = b.title ? `${b.title}\n` : '';
  if (b.rows.length === 0) return `${head}  ${b.empty ?? '(none)'}`;
  const rows = b.rows.map((r) => r.map((c) => clip(c.replace(/\s+/g, ' '), maxCell)));
  const widths = b.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ')}`.trimEnd();
  return `${head}${line(b.columns.map((c) => c.toUpperCase()))}\n${rows.map(line).join('\n')}`;
};

const renderBlock = (b: Block, maxCell: number): string => {
  switch (b.type) {
    case 'text':
      return b.text;
    case 'fields': {
      const w = Math.max(...b.fields.map(([k]) => k.length));
      return b.fields.map(([k, v]) => `${pad(`${k}:`, w + 1)} ${v}`).join('\n');
    }
    case 'table':
      return renderTable(b, maxCell);
    case 'actions':
      return `actions: ${b.buttons.map((x) => `[${x.label}] (${x.command})`).join('  ')}`;
  }
};

/** Plain text for terminals and the console chat; buttons become the commands they run. */
export const renderText = (reply: Reply, opts: { maxCell?: number; showActions?: boolean } = {}): string =>
  reply.blocks
    .filter((b) => b.type !== 'actions' || opts.showActions === true)
    .map((b) => renderBlock(b, opts.maxCell ?? 60))
    .join('\n\n');
