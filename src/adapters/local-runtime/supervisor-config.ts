import { z } from 'zod';
import type { StartRecord } from './run-files.js';

/** The variable that carries the supervisor's settings; it holds no secret and is not passed on. */
export const SUPERVISOR_CONFIG_VAR = 'K3SC_SUPERVISOR';

const configSchema = z.object({
  attemptName: z.string(),
  slot: z.string(),
  /** Runner argv; `--spec <spec.json>` is appended. */
  command: z.array(z.string()).min(1),
  deadlineSeconds: z.number().positive(),
  killGraceMs: z.number().nonnegative(),
  startedAt: z.string(),
});

/** What k3sc tells a run's supervisor; the run directory comes from its argv (the spec path). */
export type SupervisorConfig = z.infer<typeof configSchema>;

export const parseSupervisorConfig = (text: string | undefined): SupervisorConfig => {
  if (text === undefined) throw new Error(`${SUPERVISOR_CONFIG_VAR} is not set`);
  return configSchema.parse(JSON.parse(text));
};

/** started.json, the same whether k3sc or the supervisor writes it. */
export const startRecordOf = (cfg: SupervisorConfig, pid: number): StartRecord => ({
  attemptName: cfg.attemptName,
  slot: cfg.slot,
  pid,
  startedAt: cfg.startedAt,
  deadlineSeconds: cfg.deadlineSeconds,
});
