import type { LocalSession, LocalSessionsReport } from '../../core/api/farm-api.js';
import { html, usd, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';

const tokens = (n: number): string =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);

const hhmm = (iso: string): string => iso.slice(11, 16);

const session = (s: LocalSession): SafeHtml => {
  const u = s.usage;
  return html`<li>
    <div>
      <strong>pid ${s.pid}</strong> <span class="muted">${s.sessionId ?? 'no session id'}</span>
      ${s.cwd ? html`<div><code>${s.cwd}</code></div>` : ''}
      <div class="muted">
        ${s.startedAt ? `started ${s.startedAt.slice(0, 16).replace('T', ' ')} · ` : ''}${
          u
            ? `${tokens(u.inputTokens)} in / ${tokens(u.outputTokens)} out · cache ${tokens(u.cacheReadTokens)} read / ${tokens(u.cacheWriteTokens)} write · ${u.messages} message(s)`
            : 'no transcript found'
        }
      </div>
    </div>
    <span class="big cost">${u ? usd(u.costUsd) : '–'}</span>
  </li>`;
};

/**
 * The live part of `/sessions`: the data of `k3sc sessions`. Shared by every viewer (the event
 * stream sends one copy), so it holds nothing per session.
 */
export const sessionsFragment = (r: LocalSessionsReport): SafeHtml => {
  const b = r.activeBlock;
  return html`<section class="card" aria-labelledby="h-block">
      <h2 id="h-block">5-hour block</h2>
      ${
        b
          ? html`<p class="big">${usd(b.costUsd)} <span class="muted">so far</span></p>
              <p>
                ${hhmm(b.start)}–${hhmm(b.end)} UTC · ${b.projection.remainingMinutes} min left ·
                ${b.messages} message(s)
              </p>
              <p>
                burn rate <strong>${usd(b.projection.burnRatePerMinute * 60)}/h</strong> · projected
                <strong>${usd(b.projection.projectedCostUsd)}</strong> by ${hhmm(b.end)}
              </p>
              ${b.unpriced.length ? html`<p class="warn">unpriced models: ${b.unpriced.join(', ')}</p>` : ''}`
          : html`<p class="muted">No block is open (no Claude messages in the last 5 hours).</p>`
      }
    </section>
    <section class="card" aria-labelledby="h-sessions">
      <h2 id="h-sessions">Running sessions (${r.sessions.length})</h2>
      ${
        r.sessions.length === 0
          ? html`<p class="muted">No Claude Code process is running on this machine.</p>`
          : html`<ul class="list">
              ${r.sessions.map(session)}
            </ul>`
      }
      <p class="muted">as of ${r.at.slice(11, 19)} UTC · estimates from local files, not a bill</p>
    </section>`;
};

export const sessionsPage = (ctx: PageContext, body: SafeHtml, events: string | undefined): SafeHtml =>
  layout(ctx, {
    title: 'Sessions',
    current: '/sessions',
    ...(events ? { events } : {}),
    body: html`<p class="muted">Claude Code on the machine that runs k3sc serve.</p>
      <div id="live-dash">${body}</div>`,
  });
