import type { Dashboard } from '../../core/api/farm-api.js';
import { duration, html, usd, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';

/** A one-button form posting an action (the CSRF token is filled in per page; see web.js). */
export const actionButton = (
  base: string,
  csrf: string,
  fields: Record<string, string>,
  label: string,
  opts: { danger?: boolean; back?: string } = {},
): SafeHtml => html`<form class="act" method="post" action="${base}/action">
<input type="hidden" name="_csrf" value="${csrf}">${Object.entries(fields).map(
  ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
)}${opts.back ? html`<input type="hidden" name="back" value="${opts.back}" />` : ''}
<button${opts.danger ? html` class="danger"` : ''}>${label}</button></form>`;

const issueLink = (base: string, issue: string): SafeHtml =>
  html`<a href="${base}/issue?ref=${encodeURIComponent(issue)}">${issue}</a>`;

/**
 * The live part of the dashboard: the same data as `top`. Shared by every viewer (the event
 * stream sends one copy), so it holds no per-session token: `csrf` is empty there.
 */
export const dashboardFragment = (d: Dashboard, base: string, csrf: string): SafeHtml => {
  const btn = (fields: Record<string, string>, label: string, danger = false): SafeHtml =>
    actionButton(base, csrf, fields, label, { danger });
  return html`<section aria-labelledby="h-farm" class="card">
      <h2 id="h-farm">Farm</h2>
      <p class="big">
        <span>${d.slots.used}/${d.slots.max}</span> slots
        used${d.paused ? html` · <strong class="warn">paused</strong>` : ''}
      </p>
      <p class="muted">
        runtime ${d.runtime}${d.lastScanAt ? html` · last scan ${d.lastScanAt.slice(11, 19)}` : ''} · today
        ${usd(d.costs.todayUsd)} · week ${usd(d.costs.weekUsd)}
      </p>
      <div class="row">
        ${btn({ action: 'dispatch' }, 'Dispatch now')}
        ${d.paused ? btn({ action: 'resume' }, 'Resume') : btn({ action: 'pause' }, 'Pause')}
        <form class="act inline" method="post" action="${base}/action">
          <input type="hidden" name="_csrf" value="${csrf}" /><input
            type="hidden"
            name="action"
            value="scale"
          />
          <label for="slots">Slots</label
          ><input
            id="slots"
            name="slots"
            type="number"
            inputmode="numeric"
            min="0"
            max="64"
            value="${d.slots.max}"
            required
          />
          <button>Scale</button>
        </form>
      </div>
    </section>
    <section aria-labelledby="h-fam" class="card">
      <h2 id="h-fam">Agent families</h2>
      <ul class="list">
        ${d.families.map(
          (f) =>
            html`<li>
              <span
                ><strong>${f.name}</strong>
                <span class="chip ${f.status}"
                  >${f.status}${f.quotaUntil ? ` until ${f.quotaUntil.slice(11, 16)}` : ''}</span
                ></span
              >
              ${f.status === 'disabled' ? btn({ action: 'enable', family: f.name }, `Enable ${f.name}`) : btn({ action: 'disable', family: f.name }, `Disable ${f.name}`)}
            </li>`,
        )}
      </ul>
    </section>
    <section aria-labelledby="h-run" class="card">
      <h2 id="h-run">Running (${d.running.length})</h2>
      ${
        d.running.length === 0
          ? html`<p class="muted">Nothing is running.</p>`
          : html`<ul class="list">
              ${d.running.map(
                (r) =>
                  html`<li class="attempt">
                    <div>
                      ${issueLink(base, r.issue)}
                      <span class="muted">${r.kind} on ${r.slot} · ${duration(r.seconds)}</span>
                      <div>${r.title}</div>
                      ${r.lastLine ? html`<code class="last">${r.lastLine}</code>` : ''}
                    </div>
                    ${actionButton(base, csrf, { action: 'kill', issue: r.issue }, 'Kill…', { danger: true })}
                  </li>`,
              )}
            </ul>`
      }
    </section>
    <section aria-labelledby="h-queue" class="card">
      <h2 id="h-queue">Queue (${d.queue.length})</h2>
      ${
        d.queue.length === 0
          ? html`<p class="muted">The queue is empty.</p>`
          : html`<ul class="list">
              ${d.queue.map(
                (q) =>
                  html`<li>
                    <div>
                      ${issueLink(base, q.issue)} <span class="muted">${q.stage}</span>
                      <div>${q.title}</div>
                      <div class="${q.reason ? 'muted' : 'ok'}">
                        ${q.next}${q.detail ? `: ${q.detail}` : ''}
                      </div>
                    </div>
                  </li>`,
              )}
            </ul>`
      }
    </section>
    <section aria-labelledby="h-prs" class="card">
      <h2 id="h-prs">Pull requests (${d.pulls.length})</h2>
      ${btn({ action: 'take' }, 'Take next PR')}
      ${
        d.pulls.length === 0
          ? html`<p class="muted">No open pull requests.</p>`
          : html`<ul class="list">
              ${d.pulls.map(
                (p) =>
                  html`<li>
                    <div>
                      <strong>${p.pr}</strong> ${p.title}
                      <div class="muted">
                        ${p.branch} · owners:
                        ${p.owners.length ? p.owners.join(', ') : 'none'}${p.lease ? ` · leased by ${p.lease}` : ''}
                      </div>
                    </div>
                    ${p.lease ? btn({ action: 'release', pr: p.pr }, 'Release') : ''}
                  </li>`,
              )}
            </ul>`
      }
    </section>
    <section aria-labelledby="h-leases" class="card">
      <h2 id="h-leases">Leases (${d.leases.length})</h2>
      ${
        d.leases.length === 0
          ? html`<p class="muted">No review leases.</p>`
          : html`<ul class="list">
              ${d.leases.map((l) => html`<li>${l.repo.owner}/${l.repo.name}#${l.pr} · ${l.worker} until ${l.expiresAt.slice(0, 16).replace('T', ' ')}</li>`)}
            </ul>`
      }
    </section>`;
};

export const dashboardPage = (ctx: PageContext, d: Dashboard, events: string): SafeHtml =>
  layout(ctx, {
    title: 'Farm',
    current: '/',
    events,
    body: html`<div id="live-dash">${dashboardFragment(d, ctx.base, ctx.csrf)}</div>`,
  });
