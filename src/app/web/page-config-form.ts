import { html, type SafeHtml } from './html.js';
import { csrfField, layout, type PageContext } from './layout.js';
import type { ConfigChoices, ConfigField, ConfigFormValues, FieldErrors } from './config-form.js';

const LABELS: Readonly<Record<ConfigField, string>> = {
  name: 'Name',
  repo: 'Repository',
  family: 'Agent family',
  model: 'Model',
  template: 'Issue template',
  deadline: 'Deadline',
  maxTurns: 'Max turns',
  budget: 'Budget (USD)',
};

const HINTS: Partial<Record<ConfigField, string>> = {
  name: 'lowercase letters, digits and -, like fix-flaky',
  model: "empty: the family's model",
  template: 'the issue body: {{title}} {{body}} {{repo}} {{config}} {{requester}}; empty: {{body}}',
  deadline: "45m, 1h30m or 900s (1 minute to 24 hours); empty: the farm's",
  maxTurns: '1 to 1000; empty: no limit',
  budget: 'more than 0, at most 1000; empty: no limit',
};

export const configStyles = (ctx: PageContext): SafeHtml =>
  html`<link rel="stylesheet" href="${ctx.base}/static/configs.css" />`;

const describedBy = (f: ConfigField, errors: FieldErrors): SafeHtml => {
  const ids = [errors[f] ? `e-${f}` : '', HINTS[f] ? `h-${f}` : ''].filter(Boolean).join(' ');
  return ids ? html`aria-describedby="${ids}"` : html``;
};

const select = (f: ConfigField, value: string, options: readonly string[], errors: FieldErrors): SafeHtml => {
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return html`<select
    id="f-${f}"
    name="${f}"
    required
    ${errors[f] ? html`aria-invalid="true"` : ''}
    ${describedBy(f, errors)}
  >
    <option value="" ${value === '' ? html`selected` : ''}>choose…</option>
    ${all.map((o) => html`<option value="${o}" ${o === value ? html`selected` : ''}>${o}</option>`)}
  </select>`;
};

const input = (
  f: ConfigField,
  value: string,
  errors: FieldErrors,
  opts: { readonly?: boolean; inputmode?: string },
): SafeHtml =>
  f === 'template'
    ? html`<textarea
        id="f-${f}"
        name="${f}"
        rows="6"
        ${errors[f] ? html`aria-invalid="true"` : ''}
        ${describedBy(f, errors)}
      >
${value}</textarea>`
    : html`<input
        id="f-${f}"
        name="${f}"
        value="${value}"
        autocapitalize="none"
        autocomplete="off"
        spellcheck="false"
        ${opts.inputmode ? html`inputmode="${opts.inputmode}"` : ''}
        ${opts.readonly ? html`readonly` : ''}
        ${f === 'name' ? html`required` : ''}
        ${errors[f] ? html`aria-invalid="true"` : ''}
        ${describedBy(f, errors)}
      />`;

const INPUT_MODES: Partial<Record<ConfigField, string>> = { maxTurns: 'numeric', budget: 'decimal' };

const fieldRow = (
  f: ConfigField,
  v: ConfigFormValues,
  errors: FieldErrors,
  choices: ConfigChoices | undefined,
  nameFixed: boolean,
): SafeHtml => {
  const options = f === 'repo' ? choices?.repos : f === 'family' ? choices?.families : undefined;
  const control = options
    ? select(f, v[f], options, errors)
    : input(f, v[f], errors, {
        readonly: f === 'name' && nameFixed,
        ...(INPUT_MODES[f] ? { inputmode: INPUT_MODES[f] } : {}),
      });
  return html`<div class="field${errors[f] ? ' invalid' : ''}">
    <label for="f-${f}">${LABELS[f]}</label>
    ${control} ${HINTS[f] ? html`<small id="h-${f}" class="muted">${HINTS[f]}</small>` : ''}
    ${errors[f] ? html`<p id="e-${f}" class="error field-error">${LABELS[f]} ${errors[f]}</p>` : ''}
  </div>`;
};

/** The error summary at the top of a refused form: one link per bad field. */
const summary = (errors: FieldErrors, general: string | undefined): SafeHtml => {
  const bad = Object.entries(errors) as [ConfigField, string][];
  if (bad.length === 0 && !general) return html``;
  return html`<div class="card error-summary" role="alert" tabindex="-1" id="form-errors">
    <h2>Not saved</h2>
    ${general ? html`<p class="error">${general}</p>` : ''}
    ${
      bad.length
        ? html`<ul>
            ${bad.map(([f, m]) => html`<li><a href="#f-${f}">${LABELS[f]}</a>: ${m}</li>`)}
          </ul>`
        : ''
    }
  </div>`;
};

export interface ConfigFormOptions {
  /** `new` (the name can be typed) or `edit` (the name is the page's). */
  readonly mode: 'new' | 'edit';
  readonly values: ConfigFormValues;
  readonly errors: FieldErrors;
  readonly choices?: ConfigChoices;
  /** A problem that is no one field's (the router's answer). */
  readonly general?: string;
}

/** The form itself (posted to `/configs/new` or `/configs/<name>`), with its field errors. */
export const configForm = (ctx: PageContext, o: ConfigFormOptions): SafeHtml => {
  const action = o.mode === 'new' ? `${ctx.base}/configs/new` : `${ctx.base}/configs/${o.values.name}`;
  return html`${summary(o.errors, o.general)}
    <form method="post" action="${action}" class="stack config-form act" novalidate>
      ${csrfField(ctx)}
      ${(['name', 'repo', 'family', 'model', 'template', 'deadline', 'maxTurns', 'budget'] as const).map(
        (f) => fieldRow(f, o.values, o.errors, o.choices, o.mode === 'edit'),
      )}
      <div class="row">
        <button>${o.mode === 'new' ? 'Save config' : 'Save changes'}</button>
        <a class="button secondary" href="${ctx.base}/configs">Cancel</a>
      </div>
    </form>`;
};

/** `/configs/new` (empty, or prefilled by a clone). */
export const newConfigPage = (
  ctx: PageContext,
  o: Omit<ConfigFormOptions, 'mode'> & { readonly cloneOf?: string },
): SafeHtml =>
  layout(ctx, {
    title: o.cloneOf ? `Clone ${o.cloneOf}` : 'New config',
    current: '/configs',
    body: html`${configStyles(ctx)}
      <section class="card" aria-labelledby="h-form">
        <h2 id="h-form">
          ${o.cloneOf ? `A copy of ${o.cloneOf}: give it a new name` : 'A saved agent config'}
        </h2>
        ${configForm(ctx, { ...o, mode: 'new' })}
      </section>`,
  });
