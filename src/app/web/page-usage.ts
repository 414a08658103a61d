import type { UsageReport, UsageRow } from '../../core/api/farm-api.js';
import { html, usd, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';

/** A small inline bar chart of cost per day (the last `days` days that have any). */
export const costChart = (rows: readonly UsageRow[], days = 14): SafeHtml => {
  const shown = rows.slice(-days);
  if (shown.length === 0) return html`<p class="muted">No cost recorded yet.</p>`;
  const max = Math.max(...shown.map((r) => r.costUsd), 0.0001);
  const w = 320;
  const h = 120;
  const bw = w / shown.length;
  return html`<svg class="chart" viewBox="0 0 ${w} ${h + 16}" role="img" aria-labelledby="chart-title">
    <title id="chart-title">Cost per day, last ${shown.length} day(s); highest ${usd(max)}</title>
    ${shown.map((r, i) => {
      const bh = Math.max(1, Math.round((r.costUsd / max) * h));
      return html`<rect
        x="${(i * bw + 2).toFixed(1)}"
        y="${h - bh}"
        width="${Math.max(1, bw - 4).toFixed(1)}"
        height="${bh}"
        ><title>${r.key}: ${usd(r.costUsd)}</title></rect
      >`;
    })}
    <text x="0" y="${h + 13}">${shown[0]?.key ?? ''}</text>
    <text x="${w}" y="${h + 13}" text-anchor="end">${shown.at(-1)?.key ?? ''}</text>
  </svg>`;
};

const table = (caption: string, rows: readonly UsageRow[]): SafeHtml =>
  html`<div class="scroll">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${caption.replace(/^by /, '')}</th>
          <th scope="col">attempts</th>
          <th scope="col">tokens in/out</th>
          <th scope="col">cost</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.key}</th>
              <td>${r.attempts}</td>
              <td>${r.inputTokens}/${r.outputTokens}</td>
              <td>${usd(r.costUsd)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;

export const usagePage = (ctx: PageContext, u: UsageReport): SafeHtml =>
  layout(ctx, {
    title: 'Usage',
    current: '/usage',
    body: html`<section class="card" aria-labelledby="h-total">
        <h2 id="h-total">Total</h2>
        <p class="big">${usd(u.total.costUsd)}</p>
        <p class="muted">
          ${u.total.attempts} attempt(s), ${u.total.inputTokens} tokens in, ${u.total.outputTokens} out
        </p>
        ${costChart(u.byDay)}
      </section>
      <section class="card" aria-labelledby="h-break">
        <h2 id="h-break">Breakdown</h2>
        ${table('by day', u.byDay)}${table('by week', u.byWeek)}${table('by model', u.byModel)}${table('by repo', u.byRepo)}${table('by agent', u.byAgent)}
      </section>`,
  });
