import type { IssueStatus } from '../../core/api/farm-api.js';
import { issueKey } from '../../core/model/refs.js';
import { html, usd, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';
import { actionButton } from './page-dashboard.js';

const header = (s: IssueStatus): SafeHtml => {
  if (!s.issue) return html``;
  const l = s.labels;
  const owners = l?.owners.length ? ` · owner ${l.owners.join(', ')}` : '';
  return html`<p>by ${s.issue.author} · <a href="${s.issue.url}">on GitHub</a></p>
    <p>stage <strong>${l?.stage ?? 'none'}</strong>${owners}${l?.waiting ? ' · waiting' : ''}</p>
    <ul class="chips" aria-label="labels">
      ${s.issue.labels.map((x) => html`<li class="chip">${x}</li>`)}
    </ul>`;
};

const queued = (s: IssueStatus): SafeHtml => {
  const d = s.queued?.decision;
  if (!d) return html``;
  return html`<p class="muted">next pass: ${d.dispatch ? `dispatch to ${d.slot}` : `skip (${d.reason})`}</p>`;
};

const handoff = (s: IssueStatus): SafeHtml => {
  const latest = s.attempts[s.attempts.length - 1];
  const result = latest?.result;
  const pr = result?.prUrl ?? (latest?.prNumber ? `#${latest.prNumber}` : undefined);
  const prLine = !pr
    ? html`<p class="muted">No pull request yet.</p>`
    : pr.startsWith('http')
      ? html`<p>pull request: <a href="${pr}">${pr}</a></p>`
      : html`<p>pull request: ${pr}</p>`;
  const text = result?.summary ?? result?.reason;
  return html`${prLine}${text ? html`<p class="summary">${text}</p>` : html`<p class="muted">No hand-off summary yet.</p>`}`;
};

/** One issue: its labels, attempts, PR, hand-off summary, and the latest attempt's log (live). */
export const issuePage = (
  ctx: PageContext,
  s: IssueStatus,
  watched: { attempt: string; events: string } | undefined,
): SafeHtml => {
  const key = issueKey(s.ref);
  const back = `${ctx.base}/issue?ref=${encodeURIComponent(key)}`;
  const latest = s.attempts[s.attempts.length - 1];
  // issue-follow.js asks for the latest attempt while none is live here, and reloads the page
  // when a new one starts (a launch that is claimed after the page loaded, a retry, a review).
  const follow = html`<div
      hidden
      data-follow="${ctx.base}/issue/attempt?ref=${encodeURIComponent(key)}"
      data-attempt="${latest?.name ?? ''}"
    ></div>
    <script src="${ctx.base}/static/issue-follow.js" defer></script>`;
  const btn = (fields: Record<string, string>, label: string, danger = false): SafeHtml =>
    actionButton(ctx.base, ctx.csrf, { ...fields, issue: key }, label, { danger, back });
  return layout(ctx, {
    title: key,
    ...(watched ? { events: watched.events } : {}),
    body: html`<section class="card" aria-labelledby="h-issue">
        <h2 id="h-issue">${s.issue?.title ?? 'closed or unknown issue'}</h2>
        ${header(s)} ${queued(s)}
        <div class="row">
          ${btn({ action: 'kill' }, 'Kill…', true)}${btn({ action: 'requeue' }, 'Requeue…')}
        </div>
      </section>
      <section class="card" aria-labelledby="h-handoff">
        <h2 id="h-handoff">Hand-off</h2>
        ${handoff(s)}
      </section>
      <section class="card" aria-labelledby="h-attempts">
        <h2 id="h-attempts">Attempts (${s.attempts.length})</h2>
        ${
          s.attempts.length === 0
            ? html`<p class="muted">No attempts yet.</p>`
            : html`<ul class="list">
                ${[...s.attempts].reverse().map(
                  (a) =>
                    html`<li>
                      <div>
                        <strong>${a.name}</strong> <span class="chip ${a.phase}">${a.phase}</span>
                        <div class="muted">
                          ${a.kind} on ${a.slot} ·
                          ${(a.startedAt ?? a.createdAt).slice(0, 16).replace('T', ' ')}${a.usage ? ` · ${usd(a.usage.costUsd)}` : ''}
                        </div>
                      </div>
                    </li>`,
                )}
              </ul>`
        }
      </section>
      <section class="card" aria-labelledby="h-log">
        <h2 id="h-log">Log${watched ? ` of ${watched.attempt}` : ''}</h2>
        ${
          watched
            ? html`<pre
                  class="log"
                  data-log="0"
                  tabindex="0"
                  aria-label="log of ${watched.attempt}"
                  aria-live="off"
                ></pre>
                <noscript
                  ><p>
                    The live log needs JavaScript;
                    <a href="${ctx.base}/log?ref=${encodeURIComponent(key)}">open the plain log</a>.
                  </p></noscript
                >`
            : html`<p class="muted" id="no-log">
                No attempt yet: its log shows here as soon as the farm claims the issue.
              </p>`
        }
      </section>
      ${follow}`,
  });
};
