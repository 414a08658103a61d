import { html, type SafeHtml } from './html.js';
import { csrfField, layout, type PageContext } from './layout.js';

export const loginPage = (
  ctx: PageContext,
  opts: { error?: string; name?: string; github: boolean; noUsers: boolean },
): SafeHtml =>
  layout(ctx, {
    title: 'Log in',
    body: html`<section class="card">
      ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
      ${opts.noUsers ? html`<p>No local users yet: add one on the server with <code>k3sc web user add NAME --role operator</code>.</p>` : ''}
      <form method="post" action="${ctx.base}/login" class="stack">
        ${csrfField(ctx)} <label for="name">User name</label
        ><input
          id="name"
          name="name"
          autocomplete="username"
          autocapitalize="none"
          required
          value="${opts.name ?? ''}"
        />
        <label for="password">Password</label
        ><input id="password" name="password" type="password" autocomplete="current-password" required />
        <button>Log in</button>
      </form>
      ${opts.github ? html`<p><a class="button" href="${ctx.base}/login/github">Sign in with GitHub</a></p>` : ''}
    </section>`,
  });

/** An answer page: what an action did (or why not), and the way back. */
export const messagePage = (
  ctx: PageContext,
  title: string,
  message: string,
  back: string,
  kind: 'ok' | 'error' = 'ok',
): SafeHtml =>
  layout(ctx, {
    title,
    body: html`<section class="card">
      <pre class="${kind === 'error' ? 'error' : 'result'}" role="${kind === 'error' ? 'alert' : 'status'}">
${message}</pre>
      <p><a class="button" href="${back}">Back</a></p>
    </section>`,
  });

/** The kill confirmation: the same form again with `confirm=yes`. */
export const confirmPage = (
  ctx: PageContext,
  fields: Record<string, string>,
  question: string,
  back: string,
): SafeHtml =>
  layout(ctx, {
    title: 'Are you sure?',
    body: html`<section class="card">
      <p>${question}</p>
      <form method="post" action="${ctx.base}/action" class="row">
        ${csrfField(ctx)}
        ${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
        <input type="hidden" name="confirm" value="yes" /><input type="hidden" name="back" value="${back}" />
        <button class="danger">Yes, ${fields['action'] === 'requeue' ? 'kill and requeue' : 'kill'}</button>
        <a class="button" href="${back}">Cancel</a>
      </form>
    </section>`,
  });
