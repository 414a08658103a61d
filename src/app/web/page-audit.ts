import type { AuditEntry } from '../../core/api/farm-api.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';

/** Entries per page of `/audit`. */
export const AUDIT_PAGE_SIZE = 50;

const argsText = (args: Record<string, unknown>): string =>
  Object.entries(args)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => (v === true ? `--${k}` : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`))
    .join(' ');

const when = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

export interface AuditView {
  /** Newest first, this page only. */
  readonly entries: readonly AuditEntry[];
  /** The `since` as typed (for the form and the links) and the time it means. */
  readonly since: string;
  readonly sinceAt: string;
  readonly page: number;
  readonly total: number;
}

/** One page of the audit log: who, where, what, result, newest first, with a `since` filter. */
export const auditPage = (ctx: PageContext, v: AuditView): SafeHtml => {
  const pages = Math.max(1, Math.ceil(v.total / AUDIT_PAGE_SIZE));
  const link = (page: number): string =>
    `${ctx.base}/audit?since=${encodeURIComponent(v.since)}&page=${page}`;
  const summary = `${v.total} entr${v.total === 1 ? 'y' : 'ies'} since ${when(v.sinceAt)} UTC · page ${v.page} of ${pages}`;
  return layout(ctx, {
    title: 'Audit',
    current: '/audit',
    body: html`<section class="card" aria-labelledby="h-filter">
        <h2 id="h-filter">Since</h2>
        <form method="get" action="${ctx.base}/audit" class="row">
          <label for="since">Since (30m, 24h, 7d or 2026-12-01T10:00Z)</label>
          <input id="since" name="since" value="${v.since}" required />
          <button>Show</button>
        </form>
        <p class="muted">${summary}</p>
      </section>
      <section class="card" aria-labelledby="h-audit">
        <h2 id="h-audit">Commands and clicks</h2>
        ${
          v.entries.length === 0
            ? html`<p class="muted">No commands recorded in that time.</p>`
            : html`<ol class="list audit">
                ${v.entries.map(
                  (e) =>
                    html`<li>
                      <div>
                        <strong>${e.actor}</strong> <span class="muted">in ${e.where}</span>
                        <span class="chip ${e.result === 'ok' ? 'succeeded' : 'failed'}">${e.result}</span>
                        <div><code>${`${e.command} ${argsText(e.args)}`.trim()}</code></div>
                        <div class="muted">${when(e.at)} · ref ${e.cid}</div>
                      </div>
                    </li>`,
                )}
              </ol>`
        }
        <nav class="row" aria-label="Pages">
          ${v.page > 1 ? html`<a class="button" href="${link(v.page - 1)}" rel="prev">Newer</a>` : ''}
          ${v.page < pages ? html`<a class="button" href="${link(v.page + 1)}" rel="next">Older</a>` : ''}
        </nav>
      </section>`,
  });
};
