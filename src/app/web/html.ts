/** HTML that is already safe (built by `html` or trusted markup). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => ESC[c] ?? c);

type Part = SafeHtml | string | number | boolean | undefined | null | readonly Part[];

const render = (v: Part): string => {
  if (v === undefined || v === null || v === false || v === true) return '';
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) return (v as readonly Part[]).map(render).join('');
  return esc(String(v));
};

/** A template whose interpolations are escaped unless they are `SafeHtml` (arrays are joined). */
export const html = (strings: TemplateStringsArray, ...values: Part[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));

/** `1h 02m`, `3m 05s`, `42s`. */
export const duration = (seconds: number): string => {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
};

export const usd = (n: number): string => `$${n.toFixed(n >= 100 ? 0 : 2)}`;
