import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { K3scError } from '../errors.js';

const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "-", "_" or "." only');

/** Everything one runner invocation needs. The GitHub token is NOT here: it comes from env `GITHUB_TOKEN`. */
export const runnerSpecSchema = z.object({
  attemptName: z.string().min(1),
  repo: z.object({ owner: name, name }),
  issue: z.number().int().positive(),
  kind: z.enum(['implement', 'review']),
  family: z.string().min(1),
  slot: z.string().min(1),
  /** The only branch the agent may push, e.g. `issue-12`. */
  branch: z.string().regex(/^[A-Za-z0-9_./-]+$/, 'a plain git branch name'),
  /** Absolute directory owned by this slot; the repository is cloned beneath it. */
  workspace: z.string().refine((p) => isAbsolute(p), 'must be an absolute path'),
  github: z.object({ apiUrl: z.url() }),
  agent: z.object({
    /** argv template; `{prompt}`, `{promptFile}`, `{model}`, `{issue}`, `{repo}`, `{maxTurns}`, `{budgetUsd}` are substituted. No shell. */
    command: z.array(z.string()).min(1),
    model: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).optional(),
  }),
  safety: z.object({
    ghAllowed: z.array(z.string()),
    blockedCommitWords: z.array(z.string()),
  }),
  deadlineSeconds: z.number().positive(),
  /** A saved config's limits (`launch`), for `{maxTurns}` and `{budgetUsd}` in the agent command. */
  limits: z
    .object({ maxTurns: z.number().int().positive().optional(), budgetUsd: z.number().positive().optional() })
    .optional(),
});

export type RunnerSpec = z.infer<typeof runnerSpecSchema>;

/** Validates a parsed spec document; every problem is listed with its path. */
export const parseRunnerSpec = (doc: unknown): RunnerSpec => {
  const parsed = runnerSpecSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new K3scError('bad_input', `invalid runner spec: ${problems.join('; ')}`);
};
