/**
 * Prompt templates of saved agent configurations: text with `{{variable}}` placeholders filled
 * from the launched issue. Only the names below exist; anything else is an error at save time.
 */
export const TEMPLATE_VARIABLES = ['title', 'body', 'repo', 'config', 'requester'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

export const DEFAULT_TEMPLATE = '{{body}}';
export const MAX_TEMPLATE_CHARS = 16_000;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every problem of a template, in order; empty when it is fine. */
export const templateProblems = (template: string): string[] => {
  const problems: string[] = [];
  if (template.length > MAX_TEMPLATE_CHARS)
    problems.push(`is ${template.length} characters; at most ${MAX_TEMPLATE_CHARS}`);
  const known = new Set<string>(TEMPLATE_VARIABLES);
  for (const [, name = ''] of template.matchAll(PLACEHOLDER))
    if (!known.has(name))
      problems.push(
        `unknown variable {{${name}}}; the variables are ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
      );
  // Braces left after the placeholders are taken out: `{{title}` or `{{ }}` typos.
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}'))
    problems.push('has an unclosed or malformed {{…}} placeholder');
  return problems;
};

/** The template with every placeholder filled (call templateProblems first; unknown names stay as written). */
export const renderTemplate = (template: string, values: TemplateValues): string =>
  template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? values[name as TemplateVariable] : whole,
  );
