/** A plain-text table: one per measure, aligned for a terminal or a Markdown code block. */
export interface Column {
  readonly header: string;
  /** Numbers read best right-aligned (the default for every column but the first). */
  readonly align?: 'left' | 'right';
}

export interface Table {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table (how it was measured, caveats). */
  readonly notes?: readonly string[];
}

const pad = (s: string, width: number, align: 'left' | 'right'): string =>
  align === 'left' ? s.padEnd(width) : s.padStart(width);

/** Renders `t` with a title line, a header, a rule and its notes. */
export const formatTable = (t: Table): string => {
  const widths = t.columns.map((c, i) =>
    Math.max(c.header.length, ...t.rows.map((r) => (r[i] ?? '').length)),
  );
  const alignOf = (i: number): 'left' | 'right' => t.columns[i]?.align ?? (i === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => pad(cells[i] ?? '', w, alignOf(i)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = (t.notes ?? []).map((n) => `  * ${n}`);
  return [
    t.title,
    '='.repeat(t.title.length),
    line(t.columns.map((c) => c.header)),
    rule,
    ...t.rows.map(line),
    ...notes,
  ].join('\n');
};

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export const ms = (n: number): string => (n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
