import { z } from 'zod';
import type { AgentConfig, FiledIssue } from '../../core/api/farm-api.js';
import { parseDeadline } from '../../core/domain/agent-config.js';
import { K3scError } from '../../core/errors.js';
import { jsonFlag } from '../args.js';
import { defineCommand } from '../command-spec.js';
import type { CommandContext } from '../farm.js';
import { textReply, type Reply } from '../reply.js';

const ACTIONS = ['list', 'show', 'save', 'delete', 'clone'] as const;

const configName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a config name is lowercase letters, digits and "-", like fix-flaky');

/** Digits (and one dot) only: Number() would read "" as 0 and accept 0x10 or 1e1. */
const numberText = (flag: string, whole: boolean) =>
  z
    .string()
    .refine((v) => (whole ? /^\s*\d+\s*$/ : /^\s*\d+(\.\d+)?\s*$/).test(v), {
      message: `${flag} must be ${whole ? 'a whole number like 30' : 'a number like 2.5'}`,
    })
    .transform(Number);

const configsSchema = z.object({
  action: z.enum(ACTIONS, { error: `the action is one of ${ACTIONS.join(', ')}` }),
  name: configName.optional(),
  target: configName.optional(),
  repo: z.string().optional(),
  family: z.string().optional(),
  model: z.string().optional(),
  template: z.string().optional(),
  templateFile: z.string().optional(),
  deadline: z
    .string()
    .transform((v, ctx) => {
      const s = parseDeadline(v);
      if (s === undefined)
        ctx.addIssue({ code: 'custom', message: '--deadline must be a duration like 45m, 1h30m or 900s' });
      return s ?? 0;
    })
    .optional(),
  maxTurns: numberText('--max-turns', true).optional(),
  budget: numberText('--budget', false).optional(),
  ...jsonFlag,
});

type ConfigsArgs = z.infer<typeof configsSchema>;

const configFields = (c: AgentConfig): [string, string][] => [
  ['name', c.name],
  ['repo', c.repo],
  ['family', c.family],
  ['model', c.model ?? '(the family default)'],
  ['deadline', c.deadlineSeconds === undefined ? '(the farm default)' : `${c.deadlineSeconds}s`],
  ['max turns', c.maxTurns === undefined ? '-' : String(c.maxTurns)],
  ['budget', c.budgetUsd === undefined ? '-' : `$${c.budgetUsd}`],
  ['template', c.template],
];

const showReply = (title: string, c: AgentConfig): Reply => ({
  title,
  blocks: [{ type: 'fields', fields: configFields(c) }],
  data: { config: c },
});

const need = (value: string | undefined, what: string): string => {
  if (value === undefined) throw new K3scError('bad_input', `configs ${what}`);
  return value;
};

const saveInput = (a: ConfigsArgs, name: string): Record<string, unknown> => {
  // The CLI reads the file itself and sends --template; a path reaching here came from chat.
  if (a.templateFile !== undefined)
    throw new K3scError(
      'bad_input',
      '--template-file is read by the CLI only; in chat, give the text with --template',
    );
  const fields: Record<string, unknown> = {
    name,
    repo: a.repo,
    family: a.family,
    model: a.model,
    template: a.template,
    deadlineSeconds: a.deadline,
    maxTurns: a.maxTurns,
    budgetUsd: a.budget,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
};

const runConfigs = async (ctx: CommandContext, a: ConfigsArgs): Promise<Reply> => {
  const api = ctx.farm.api;
  switch (a.action) {
    case 'list': {
      const configs = await api.listConfigs(ctx);
      return {
        title: 'configs',
        blocks: [
          {
            type: 'table',
            columns: ['name', 'repo', 'family', 'model', 'deadline'],
            rows: configs.map((c) => [
              c.name,
              c.repo,
              c.family,
              c.model ?? '-',
              c.deadlineSeconds === undefined ? '-' : `${c.deadlineSeconds}s`,
            ]),
            empty: 'no saved configs (configs save <name> --repo … --family …)',
          },
        ],
        data: { configs },
      };
    }
    case 'show': {
      const c = await api.getConfig(need(a.name, 'show <name>: which config?'), ctx);
      return showReply(`config ${c.name}`, c);
    }
    case 'save': {
      const name = need(a.name, 'save <name> --repo owner/name --family claude: which name?');
      const { config, created } = await api.saveConfig(saveInput(a, name), ctx);
      return {
        ...showReply(`config ${config.name} ${created ? 'saved' : 'updated'}`, config),
        data: { config, created },
      };
    }
    case 'delete': {
      const r = await api.deleteConfig(need(a.name, 'delete <name>: which config?'), ctx);
      return textReply('configs delete', `deleted config ${r.name}`, r);
    }
    case 'clone': {
      const from = need(a.name, 'clone <from> <to>: which config to copy?');
      const c = await api.cloneConfig(from, need(a.target, 'clone <from> <to>: the new name?'), ctx);
      return showReply(`config ${c.name} (copy of ${from})`, c);
    }
  }
};

export const configsCommand = defineCommand({
  name: 'configs',
  summary: 'Saved agent configs: list, show, save, delete, clone (changes need operator)',
  role: 'viewer',
  positionals: [
    { name: 'action', description: 'list | show | save | delete | clone', required: true },
    { name: 'name', description: 'the config (show, save, delete; clone: the source)' },
    { name: 'target', description: 'clone: the new name' },
  ],
  options: [
    { flags: '--repo <repo>', description: 'save: owner/name, a configured repository' },
    { flags: '--family <family>', description: 'save: the agent family that runs it (claude, codex, …)' },
    { flags: '--model <model>', description: "save: the model (default: the family's)" },
    {
      flags: '--template <text>',
      description: 'save: the issue body; {{title}} {{body}} {{repo}} {{config}} {{requester}}',
    },
    { flags: '--template-file <path>', description: 'save: read the template from a file (CLI only)' },
    { flags: '--deadline <duration>', description: 'save: run deadline, e.g. 45m (default: the farm’s)' },
    { flags: '--max-turns <n>', description: 'save: at most this many agent turns ({maxTurns})' },
    { flags: '--budget <usd>', description: 'save: budget in USD, e.g. 2.5 ({budgetUsd})' },
  ],
  examples: [
    'configs save fix-flaky --repo acme/widgets --family claude --deadline 45m --template "Fix: {{title}}\\n\\n{{body}}"',
    'configs list',
    'configs clone fix-flaky fix-flaky-codex',
  ],
  schema: configsSchema,
  run: runConfigs,
});

/** What `new` and `launch` answer: the issue, its address, and anything the asker must know. */
export const filedReply = (title: string, f: FiledIssue): Reply => {
  const what = f.created ? 'filed' : 'found (filed by an earlier try)';
  const lines = [
    `${what} ${f.issue}${f.ready ? ' labelled ready' : ''} ${f.url}`,
    ...f.warnings.map((w) => `note: ${w}`),
  ];
  return textReply(title, lines.join('\n'), f);
};

export const launchCommand = defineCommand({
  name: 'launch',
  summary:
    'File an issue from a saved config, labelled ready on your behalf; runs with its family, model, limits',
  role: 'operator',
  positionals: [{ name: 'config', description: 'the saved config', required: true }],
  options: [
    { flags: '--title <title>', description: 'the issue title (default: "<config>: launched by <you>")' },
    { flags: '--body <text>', description: 'fills {{body}} in the template' },
  ],
  examples: ['launch fix-flaky --title "Flaky login test" --body "fails 1 in 20 on CI"'],
  schema: z.object({
    config: configName,
    title: z.string().optional(),
    body: z.string().optional(),
    ...jsonFlag,
  }),
  run: async (ctx, a) => {
    const opts = {
      ...(a.title === undefined ? {} : { title: a.title }),
      ...(a.body === undefined ? {} : { body: a.body }),
    };
    return filedReply('launch', await ctx.farm.api.launch(a.config, opts, ctx));
  },
});

export const newCommand = defineCommand({
  name: 'new',
  summary: 'File a GitHub issue; labelled ready on your behalf when you are an operator',
  role: 'viewer',
  positionals: [
    { name: 'repo', description: 'owner/name, a configured repository', required: true },
    { name: 'title', description: 'the issue title (the rest of the line)', required: true, variadic: true },
  ],
  options: [{ flags: '--body <text>', description: 'the issue body' }],
  examples: ['new acme/widgets Fix the flaky login test --body "fails 1 in 20 on CI"'],
  schema: z.object({
    repo: z.string({ error: 'a repository is required, like acme/widgets' }),
    title: z.string({ error: 'a title is required' }).min(1, 'a title is required'),
    body: z.string().optional(),
    ...jsonFlag,
  }),
  run: async (ctx, a) =>
    filedReply(
      'new',
      await ctx.farm.api.newIssue(
        { repo: a.repo, title: a.title, ...(a.body === undefined ? {} : { body: a.body }) },
        ctx,
      ),
    ),
});
