import type { AgentConfig } from '../../core/api/farm-api.js';
import { html, type SafeHtml } from './html.js';
import { csrfField, layout, type PageContext } from './layout.js';
import { formatDeadline, MAX_TITLE, type ConfigFormValues, type FieldErrors } from './config-form.js';
import { configForm, configStyles, type ConfigFormOptions } from './page-config-form.js';

const path = (ctx: PageContext, name: string, rest = ''): string =>
  `${ctx.base}/configs/${encodeURIComponent(name)}${rest}`;

/** `45m · 40 turns · $2.5`, or that the farm's defaults apply. */
export const limitsText = (c: AgentConfig): string => {
  const parts = [
    c.deadlineSeconds === undefined ? '' : `deadline ${formatDeadline(c.deadlineSeconds)}`,
    c.maxTurns === undefined ? '' : `${c.maxTurns} turns`,
    c.budgetUsd === undefined ? '' : `$${c.budgetUsd}`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : "the farm's default limits";
};

const postButton = (
  ctx: PageContext,
  action: string,
  label: string,
  opts: { danger?: boolean; fields?: SafeHtml; name?: string } = {},
): SafeHtml =>
  html`<form class="act inline" method="post" action="${action}">
    ${csrfField(ctx)}${opts.fields ?? ''}
    <button${opts.danger ? html` class="danger"` : ''}${opts.name ? html` aria-label="${opts.name}"` : ''}>
      ${label}
    </button>
  </form>`;

const notice = (text: string | undefined): SafeHtml =>
  text ? html`<p class="card ok" role="status">${text}</p>` : html``;

/** `/configs`: every saved config, with show, edit, clone, delete and launch for operators. */
export const configsPage = (
  ctx: PageContext,
  configs: readonly AgentConfig[],
  o: { canEdit: boolean; notice?: string },
): SafeHtml =>
  layout(ctx, {
    title: 'Configs',
    current: '/configs',
    body: html`${configStyles(ctx)}${notice(o.notice)}
      <section class="card" aria-labelledby="h-configs">
        <h2 id="h-configs">Saved agent configs (${configs.length})</h2>
        ${o.canEdit ? html`<p><a class="button" href="${ctx.base}/configs/new">New config</a></p>` : ''}
        ${
          !o.canEdit && ctx.user
            ? html`<p class="muted">Read-only: changing or launching a config needs the operator role.</p>`
            : ''
        }
        ${
          configs.length === 0
            ? html`<p class="muted">No saved configs yet.</p>`
            : html`<ul class="list configs">
                ${configs.map(
                  (c) =>
                    html`<li>
                      <div class="config-line">
                        <a href="${path(ctx, c.name)}"><strong>${c.name}</strong></a>
                        <div class="muted">${c.repo} · ${c.family} · ${c.model ?? "the family's model"}</div>
                        <div class="muted">${limitsText(c)}</div>
                      </div>
                      <div class="row">
                        ${
                          o.canEdit
                            ? postButton(ctx, path(ctx, c.name, '/launch'), 'Launch', {
                                name: `launch ${c.name}`,
                              })
                            : ''
                        }
                        <a class="button secondary" href="${path(ctx, c.name)}" aria-label="show ${c.name}"
                          >Show</a
                        >
                        ${
                          o.canEdit
                            ? html`<a
                                  class="button secondary"
                                  href="${path(ctx, c.name)}#edit"
                                  aria-label="edit ${c.name}"
                                  >Edit</a
                                ><a
                                  class="button secondary"
                                  href="${ctx.base}/configs/new?from=${encodeURIComponent(c.name)}"
                                  aria-label="clone ${c.name}"
                                  >Clone</a
                                >
                                ${postButton(ctx, path(ctx, c.name, '/delete'), 'Delete…', {
                                  danger: true,
                                  name: `delete ${c.name}`,
                                })}`
                            : ''
                        }
                      </div>
                    </li>`,
                )}
              </ul>`
        }
      </section>`,
  });

const details = (c: AgentConfig): SafeHtml =>
  html`<dl class="fields">
    <dt>repository</dt>
    <dd>${c.repo}</dd>
    <dt>family</dt>
    <dd>${c.family}</dd>
    <dt>model</dt>
    <dd>${c.model ?? "the family's model"}</dd>
    <dt>limits</dt>
    <dd>${limitsText(c)}</dd>
    ${
      c.updatedBy
        ? html`<dt>saved by</dt>
            <dd>${c.updatedBy}</dd>`
        : ''
    }
    <dt>template</dt>
    <dd><pre class="template">${c.template}</pre></dd>
  </dl>`;

export interface ShowOptions {
  readonly canEdit: boolean;
  readonly notice?: string;
  /** The edit form as posted (with its errors) when a save was refused. */
  readonly form?: Omit<ConfigFormOptions, 'mode' | 'values' | 'errors'> & {
    readonly values: ConfigFormValues;
    readonly errors: FieldErrors;
  };
  readonly choices?: ConfigFormOptions['choices'];
  readonly launchError?: string;
  readonly launchTitle?: string;
}

/** `/configs/<name>`: the config, launch (with an optional title), clone, delete, and the edit form. */
export const configPage = (
  ctx: PageContext,
  c: AgentConfig,
  values: ConfigFormValues,
  o: ShowOptions,
): SafeHtml =>
  layout(ctx, {
    title: `Config ${c.name}`,
    current: '/configs',
    body: html`${configStyles(ctx)}${notice(o.notice)}
      <section class="card" aria-labelledby="h-config">
        <h2 id="h-config">What it runs</h2>
        ${details(c)}
      </section>
      ${
        o.canEdit
          ? html`<section class="card" aria-labelledby="h-launch">
                <h2 id="h-launch">Launch</h2>
                <p class="muted">
                  Files an issue in ${c.repo} from the template, labelled ready on your behalf.
                </p>
                ${o.launchError ? html`<p class="error" role="alert" id="e-launch">${o.launchError}</p>` : ''}
                <form class="act stack" method="post" action="${path(ctx, c.name, '/launch')}">
                  ${csrfField(ctx)}
                  <label for="l-title">Title (optional)</label>
                  <input id="l-title" name="title" maxlength="${MAX_TITLE}" value="${o.launchTitle ?? ''}" />
                  <label for="l-body">Text for {{body}} (optional)</label>
                  <textarea id="l-body" name="body" rows="3"></textarea>
                  <button>Launch ${c.name}</button>
                </form>
              </section>
              <section class="card" aria-labelledby="edit">
                <h2 id="edit" tabindex="-1">Edit</h2>
                ${configForm(ctx, {
                  mode: 'edit',
                  values: o.form?.values ?? values,
                  errors: o.form?.errors ?? {},
                  ...(o.choices ? { choices: o.choices } : {}),
                  ...(o.form?.general ? { general: o.form.general } : {}),
                })}
              </section>
              <section class="card" aria-labelledby="h-more">
                <h2 id="h-more">More</h2>
                <div class="row">
                  <a
                    class="button secondary"
                    href="${ctx.base}/configs/new?from=${encodeURIComponent(c.name)}"
                    >Clone…</a
                  >
                  ${postButton(ctx, path(ctx, c.name, '/delete'), 'Delete…', { danger: true })}
                </div>
              </section>`
          : html`<p class="muted">
              Read-only${ctx.user ? ': changing or launching a config needs the operator role' : ''}.
            </p>`
      }`,
  });

/** The delete confirmation: the same form again with `confirm=yes`. */
export const deleteConfigPage = (ctx: PageContext, name: string): SafeHtml =>
  layout(ctx, {
    title: 'Are you sure?',
    current: '/configs',
    body: html`<section class="card">
      <p>Delete the saved config ${name}? Issues already launched from it keep running.</p>
      <form method="post" action="${path(ctx, name, '/delete')}" class="row">
        ${csrfField(ctx)}<input type="hidden" name="confirm" value="yes" />
        <button class="danger">Yes, delete ${name}</button>
        <a class="button" href="${path(ctx, name)}">Cancel</a>
      </form>
    </section>`,
  });
