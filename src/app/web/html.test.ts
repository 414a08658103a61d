import { describe, expect, it } from 'vitest';
import { duration, esc, html, SafeHtml } from './html.js';
import { costChart } from './page-usage.js';

describe('the html template', () => {
  it('escapes every interpolation unless it is SafeHtml, and joins arrays', () => {
    const evil = '<script>alert("x")</script>';
    expect(html`<p title="${evil}">${evil}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
    const items = ['a', 'b'].map((x) => html`<li>${x}</li>`);
    const tag = html; // not the name prettier formats as HTML, so the markup stays on one line
    expect(tag`<ul>${items}</ul>`.text).toBe('<ul><li>a</li><li>b</li></ul>');
    expect(html`${new SafeHtml('<b>ok</b>')}${undefined}${false}${0}`.text).toBe('<b>ok</b>0');
    expect(esc(`'&`)).toBe('&#39;&amp;');
  });

  it('formats durations and draws a chart with an accessible title', () => {
    expect(duration(42)).toBe('42s');
    expect(duration(185)).toBe('3m 05s');
    expect(duration(3720)).toBe('1h 02m');
    const svg = costChart([
      { key: '2026-12-01', attempts: 1, inputTokens: 1, outputTokens: 1, costUsd: 2 },
      { key: '2026-12-02', attempts: 1, inputTokens: 1, outputTokens: 1, costUsd: 1 },
    ]).text;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="chart-title">Cost per day, last 2 day(s); highest $2.00</title>');
    expect(svg.match(/<rect\s/g)).toHaveLength(2);
    expect(costChart([]).text).toContain('No cost recorded yet');
  });
});
