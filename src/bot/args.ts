import { z } from 'zod';

/** Shared argument schemas, so every command reads `owner/repo#N` and friends the same way. */
export const issueArg = z.string({ error: 'an issue reference is required, like acme/widgets#12' }).min(1);

export const familyArg = z
  .string({ error: 'a family name is required, like claude' })
  .regex(/^[a-z][a-z0-9]*$/, 'a family is lowercase letters and digits, like claude or codex');

export const workerArg = z
  .string({ error: '--worker is required, like --worker claude-b' })
  .regex(/^[a-z][a-z0-9]*-[a-z0-9][a-z0-9-]*$/, 'a worker looks like <family>-<id>, e.g. claude-b');

export const jsonFlag = { json: z.boolean().optional() };
