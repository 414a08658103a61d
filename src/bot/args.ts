import { z } from 'zod';

/** Shared argument schemas, so every command reads `owner/repo#N` and friends the same way. */
const ISSUE_REF = /^\s*(?:(?:[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_.-]+#|#?)[1-9][0-9]*\s*$/;

/** Checked for shape here, so a typo is reported before anything is contacted; the repo is resolved later. */
export const issueArg = z
  .string({ error: 'an issue reference is required, like acme/widgets#12' })
  .regex(ISSUE_REF, 'not an issue reference — write owner/repo#N (e.g. acme/widgets#12)');

export const familyArg = z
  .string({ error: 'a family name is required, like claude' })
  .regex(/^[a-z][a-z0-9]*$/, 'a family is lowercase letters and digits, like claude or codex');

/** A worker given with `flag` (`--worker`, `--owner`); the "required" message names that flag. */
export const workerOption = (flag: string) =>
  z
    .string({ error: `${flag} is required, like ${flag} claude-b` })
    .regex(/^[a-z][a-z0-9]*-[a-z0-9][a-z0-9-]*$/, 'a worker looks like <family>-<id>, e.g. claude-b');

export const workerArg = workerOption('--worker');

export const jsonFlag = { json: z.boolean().optional() };
