import { z } from 'zod';
import type { LaunchPreference } from '../model/launch-preference.js';

export type { LaunchPreference } from '../model/launch-preference.js';

/**
 * The hidden marker in a launched issue's body (`<!-- k3sc:launch {...} -->`): the choice
 * survives restarts and shows in the source; the engine reads it when it claims.
 * The bounds below hold for every stored config and every marker read back.
 */
export const LAUNCH_BOUNDS = {
  minDeadlineSeconds: 60,
  maxDeadlineSeconds: 24 * 3600,
  maxTurns: 1000,
  maxBudgetUsd: 1000,
} as const;

export const CONFIG_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const FAMILY_NAME = /^[a-z][a-z0-9]*$/;
/** Model names as agent CLIs take them: `claude-sonnet-4-5`, `gpt-5.1-codex`, `opus[1m]`. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:[\]/-]{0,99}$/;

export const launchPreferenceSchema = z
  .object({
    config: z.string().regex(CONFIG_NAME),
    family: z.string().regex(FAMILY_NAME),
    model: z.string().regex(MODEL_NAME).optional(),
    deadlineSeconds: z
      .number()
      .int()
      .min(LAUNCH_BOUNDS.minDeadlineSeconds)
      .max(LAUNCH_BOUNDS.maxDeadlineSeconds)
      .optional(),
    maxTurns: z.number().int().min(1).max(LAUNCH_BOUNDS.maxTurns).optional(),
    budgetUsd: z.number().positive().max(LAUNCH_BOUNDS.maxBudgetUsd).optional(),
  })
  .strict();

const PREFIX = '<!-- k3sc:launch ';
const MARKER = /<!-- k3sc:launch (\{[^<>]*\}) -->/g;

/** The hidden line written into a launched issue's body. */
export const launchMarkerText = (pref: LaunchPreference): string => `${PREFIX}${JSON.stringify(pref)} -->`;

/**
 * The preference in an issue body, or undefined when there is none or it is not valid (a hand
 * edit that breaks it makes the issue an ordinary one, never a run with unchecked values).
 */
export const readLaunchMarker = (body: string | null | undefined): LaunchPreference | undefined => {
  if (!body?.includes(PREFIX)) return undefined;
  // The last one: k3sc appends its marker after everything else in the body.
  const json = [...body.matchAll(MARKER)].at(-1)?.[1];
  if (json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = launchPreferenceSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  return {
    config: p.config,
    family: p.family,
    ...(p.model === undefined ? {} : { model: p.model }),
    ...(p.deadlineSeconds === undefined ? {} : { deadlineSeconds: p.deadlineSeconds }),
    ...(p.maxTurns === undefined ? {} : { maxTurns: p.maxTurns }),
    ...(p.budgetUsd === undefined ? {} : { budgetUsd: p.budgetUsd }),
  };
};
