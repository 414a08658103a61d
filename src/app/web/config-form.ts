/**
 * The config form of the page (`/configs/new`, `/configs/:name`): its fields as text, checked
 * field by field (the same rules as `configs save`, plus the farm's repositories and families),
 * and turned into the command line the shared router runs. Pure.
 */
import { agentConfigSchema, parseDeadline, type AgentConfig } from '../../core/domain/agent-config.js';

export const CONFIG_FIELDS = [
  'name',
  'repo',
  'family',
  'model',
  'template',
  'deadline',
  'maxTurns',
  'budget',
] as const;
export type ConfigField = (typeof CONFIG_FIELDS)[number];

/** What the form holds: every field as the text the user typed. */
export type ConfigFormValues = Readonly<Record<ConfigField, string>>;
export type FieldErrors = Partial<Record<ConfigField, string>>;

/** The farm's repositories (`owner/name`) and agent families, for the form's choices. */
export interface ConfigChoices {
  readonly repos: readonly string[];
  readonly families: readonly string[];
}

/** Names the page cannot show under `/configs/<name>` (the routes of the page itself). */
export const RESERVED_NAMES: readonly string[] = ['new'];

const MAX_FIELD = 20_000;

export const emptyForm: ConfigFormValues = Object.fromEntries(CONFIG_FIELDS.map((f) => [f, ''])) as Record<
  ConfigField,
  string
>;

/** `2700` → `45m`, `5400` → `1h30m`, `61` → `61s`. */
export const formatDeadline = (seconds: number): string => {
  if (seconds % 60 !== 0) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = (seconds % 3600) / 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}` || '0s';
};

/** A saved config as form values (edit, clone). */
export const formOf = (c: AgentConfig): ConfigFormValues => ({
  name: c.name,
  repo: c.repo,
  family: c.family,
  model: c.model ?? '',
  template: c.template,
  deadline: c.deadlineSeconds === undefined ? '' : formatDeadline(c.deadlineSeconds),
  maxTurns: c.maxTurns === undefined ? '' : String(c.maxTurns),
  budget: c.budgetUsd === undefined ? '' : String(c.budgetUsd),
});

/** The posted body as form values (anything that is not a string is empty). */
export const readConfigForm = (body: unknown): ConfigFormValues => {
  const form = (body ?? {}) as Readonly<Record<string, unknown>>;
  const text = (f: ConfigField): string => {
    const v = form[f];
    if (typeof v !== 'string') return '';
    // The template keeps its inner whitespace; browsers send CRLF line ends.
    return f === 'template' ? v.replace(/\r\n/g, '\n').replace(/\s+$/, '') : v.trim();
  };
  return Object.fromEntries(CONFIG_FIELDS.map((f) => [f, text(f)])) as Record<ConfigField, string>;
};

/** Which form field a zod issue of the config schema is about. */
const FIELD_OF: Readonly<Record<string, ConfigField>> = {
  name: 'name',
  repo: 'repo',
  family: 'family',
  model: 'model',
  template: 'template',
  deadlineSeconds: 'deadline',
  maxTurns: 'maxTurns',
  budgetUsd: 'budget',
};

const numbers = (v: ConfigFormValues, errors: FieldErrors): Record<string, number | undefined> => {
  const out: Record<string, number | undefined> = {};
  if (v.deadline !== '') {
    out['deadlineSeconds'] = parseDeadline(v.deadline);
    if (out['deadlineSeconds'] === undefined)
      errors.deadline = 'must be a duration like 45m, 1h30m or 900s (1 minute to 24 hours)';
  }
  if (v.maxTurns !== '') {
    if (/^\d{1,9}$/.test(v.maxTurns)) out['maxTurns'] = Number(v.maxTurns);
    else errors.maxTurns = 'must be a whole number like 30';
  }
  if (v.budget !== '') {
    if (/^\d{1,9}(\.\d{1,6})?$/.test(v.budget)) out['budgetUsd'] = Number(v.budget);
    else errors.budget = 'must be a number of dollars like 2.5';
  }
  return out;
};

const schemaProblems = (v: ConfigFormValues, errors: FieldErrors): void => {
  const nums = numbers(v, errors);
  const input = {
    name: v.name,
    repo: v.repo,
    family: v.family,
    ...(v.model ? { model: v.model } : {}),
    ...(v.template ? { template: v.template } : {}),
    ...Object.fromEntries(Object.entries(nums).filter(([, n]) => n !== undefined)),
  };
  const parsed = agentConfigSchema.safeParse(input);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[String(issue.path[0])];
    if (field && errors[field] === undefined) errors[field] = issue.message;
  }
};

const choiceProblems = (v: ConfigFormValues, c: ConfigChoices, errors: FieldErrors): void => {
  if (!errors.repo && !c.repos.some((r) => r.toLowerCase() === v.repo.toLowerCase()))
    errors.repo = `is not a configured repository (${c.repos.join(', ') || 'none'})`;
  if (!errors.family && !c.families.includes(v.family))
    errors.family = `is not a configured family (${c.families.join(', ') || 'none'})`;
};

/**
 * Every field's problem (empty when the form is good). `choices` adds the farm's own rules:
 * a configured repository and family. `creating` refuses the page's reserved names.
 */
export const checkConfigForm = (
  v: ConfigFormValues,
  opts: { readonly choices?: ConfigChoices; readonly creating: boolean },
): FieldErrors => {
  const errors: FieldErrors = {};
  for (const f of CONFIG_FIELDS)
    if (v[f].length > MAX_FIELD) errors[f] = `is too long (at most ${MAX_FIELD} characters)`;
  if (v.name === '') errors.name = 'is required, like fix-flaky';
  if (v.repo === '') errors.repo = 'is required: pick a repository';
  if (v.family === '') errors.family = 'is required: pick an agent family';
  schemaProblems(v, errors);
  if (opts.creating && RESERVED_NAMES.includes(v.name) && !errors.name)
    errors.name = `${v.name} is taken by the page itself (/configs/new); pick another name`;
  if (opts.choices) choiceProblems(v, opts.choices, errors);
  return errors;
};

/** A word for the router's tokenizer: double quotes, with `\` and `"` escaped. */
export const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const FLAGS: readonly (readonly [ConfigField, string])[] = [
  ['repo', '--repo'],
  ['family', '--family'],
  ['model', '--model'],
  ['template', '--template'],
  ['deadline', '--deadline'],
  ['maxTurns', '--max-turns'],
  ['budget', '--budget'],
];

/** `configs save <name> --repo … --family …`: only the fields that are filled in. */
export const saveCommand = (v: ConfigFormValues): string =>
  [
    'configs save',
    quote(v.name),
    ...FLAGS.filter(([f]) => v[f] !== '').map(([f, flag]) => `${flag} ${quote(v[f])}`),
  ].join(' ');

export const MAX_TITLE = 256;

/** `launch <name> --title … --body …`, or what is wrong with the launch form. */
export const launchCommand = (
  name: string,
  form: unknown,
): { ok: true; command: string } | { ok: false; error: string } => {
  const f = (form ?? {}) as Readonly<Record<string, unknown>>;
  const title = typeof f['title'] === 'string' ? f['title'].trim() : '';
  const body = typeof f['body'] === 'string' ? f['body'].replace(/\r\n/g, '\n').trim() : '';
  if (title.length > MAX_TITLE)
    return { ok: false, error: `the title is too long (at most ${MAX_TITLE} characters)` };
  if (/[\r\n]/.test(title)) return { ok: false, error: 'the title is one line' };
  if (body.length > MAX_FIELD)
    return { ok: false, error: `the text is too long (at most ${MAX_FIELD} characters)` };
  return {
    ok: true,
    command: [
      'launch',
      quote(name),
      ...(title ? [`--title ${quote(title)}`] : []),
      ...(body ? [`--body ${quote(body)}`] : []),
    ].join(' '),
  };
};
