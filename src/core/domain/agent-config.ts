import { z } from 'zod';
import { CONFIG_NAME, FAMILY_NAME, LAUNCH_BOUNDS, MODEL_NAME } from './launch-marker.js';
import { DEFAULT_TEMPLATE, templateProblems } from './prompt-template.js';

/** A saved agent configuration: what `launch <name>` files and how its run is set up. */
export interface AgentConfig {
  readonly name: string;
  /** `owner/name`, one of the configured repositories. */
  readonly repo: string;
  readonly family: string;
  readonly model?: string;
  /** The issue body; `{{title}}`, `{{body}}`, `{{repo}}`, `{{config}}`, `{{requester}}`. */
  readonly template: string;
  readonly deadlineSeconds?: number;
  readonly maxTurns?: number;
  readonly budgetUsd?: number;
  readonly updatedBy?: string;
}

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export const agentConfigSchema = z
  .object({
    name: z
      .string({ error: 'is required' })
      .regex(CONFIG_NAME, 'must be lowercase letters, digits and "-", at most 63, like fix-flaky'),
    repo: z
      .string({ error: 'is required, like acme/widgets' })
      .regex(REPO, 'must be owner/name, like acme/widgets'),
    family: z
      .string({ error: 'is required, like claude' })
      .regex(FAMILY_NAME, 'must be lowercase letters and digits, like claude or codex'),
    model: z.string().regex(MODEL_NAME, 'must be a model name like claude-sonnet-4-5 (no spaces)').optional(),
    template: z
      .string()
      .default(DEFAULT_TEMPLATE)
      .superRefine((t, ctx) => {
        for (const message of templateProblems(t)) ctx.addIssue({ code: 'custom', message });
      }),
    deadlineSeconds: z
      .number({ error: 'must be a number of seconds' })
      .int('must be whole seconds')
      .min(LAUNCH_BOUNDS.minDeadlineSeconds, 'must be at least 1m')
      .max(LAUNCH_BOUNDS.maxDeadlineSeconds, 'must be at most 24h')
      .optional(),
    maxTurns: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(LAUNCH_BOUNDS.maxTurns, `must be at most ${LAUNCH_BOUNDS.maxTurns}`)
      .optional(),
    budgetUsd: z
      .number({ error: 'must be a number of dollars like 2.5' })
      .positive('must be more than 0')
      .max(LAUNCH_BOUNDS.maxBudgetUsd, `must be at most ${LAUNCH_BOUNDS.maxBudgetUsd}`)
      .optional(),
    updatedBy: z.string().optional(),
  })
  .strict();

/** `field: message; field: message`, naming each field the way the CLI flags do. */
export const describeConfigIssues = (error: z.ZodError): string =>
  error.issues
    .map((i) => {
      const field = i.path.join('.') || '(config)';
      return i.code === 'unrecognized_keys'
        ? `unknown field(s) ${i.keys.join(', ')}`
        : `${field} ${i.message}`;
    })
    .join('; ');

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/** `45m`, `1h30m`, `90s` or plain seconds → seconds; undefined when it is not a duration. */
export const parseDeadline = (text: string): number | undefined => {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(?:\d+[smh])+$/.test(t)) return undefined;
  let total = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smh])/g))
    total += Number(n) * (UNIT_SECONDS[unit ?? ''] ?? NaN);
  return Number.isSafeInteger(total) ? total : undefined;
};
