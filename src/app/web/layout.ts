import { html, type SafeHtml } from './html.js';

/** What every page knows about the request: where the pages live and who is looking. */
export interface PageContext {
  /** `` for the root, else e.g. `/k3sc` (links are `${base}/issue`). */
  readonly base: string;
  readonly user?: { readonly name: string; readonly role: string };
  /** Set when nobody is logged in and the sandbox shows the page read-only to localhost. */
  readonly readOnly?: string;
  readonly csrf: string;
  /** May this viewer see action buttons (logged in)? */
  readonly canAct: boolean;
}

/** Main navigation: path, label, and (optionally) the only role that sees the link. */
const NAV: readonly (readonly [string, string, 'admin'?])[] = [
  ['/', 'Farm'],
  ['/usage', 'Usage'],
  ['/configs', 'Configs'],
  ['/sessions', 'Sessions'],
  ['/audit', 'Audit', 'admin'],
];

export const csrfField = (ctx: PageContext): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${ctx.csrf}" />`;

/** The whole page: head (CSS, htmx, the live script), nav, who is logged in, the body. */
export const layout = (
  ctx: PageContext,
  page: { title: string; body: SafeHtml; events?: string; current?: string },
): SafeHtml => html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>
<meta name="csrf-token" content="${ctx.csrf}">
<title>${page.title} · k3sc</title>
<link rel="stylesheet" href="${ctx.base}/static/web.css">
<script src="${ctx.base}/static/htmx.min.js" defer></script>
<script src="${ctx.base}/static/web.js" defer></script>
</head>
<body${ctx.canAct ? '' : html` class="read-only"`}${page.events ? html` data-events="${page.events}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header>
<nav aria-label="Main">
<a class="brand" href="${ctx.base}/">k3sc</a>
${NAV.filter(([, , only]) => !only || ctx.user?.role === only).map(([href, label]) => html`<a href="${ctx.base}${href}" ${page.current === href ? html` aria-current="page"` : ''}>${label}</a>`)}
</nav>
<div class="who">
${
  ctx.user
    ? html`<span>${ctx.user.name} (${ctx.user.role})</span>
        <form method="post" action="${ctx.base}/logout">
          ${csrfField(ctx)}<button class="link">Log out</button>
        </form>`
    : html`<a href="${ctx.base}/login">Log in</a>`
}
</div>
</header>
${ctx.readOnly ? html`<p class="banner" role="status">${ctx.readOnly}</p>` : ''}
<main id="main">
<h1>${page.title}</h1>
${page.body}
</main>
${page.events ? html`<p class="live" id="live-status" role="status" aria-live="polite">live updates: connecting…</p>` : ''}
</body>
</html>`;
