import type { FarmCore } from './farm-core.js';
import { farmAudit, type FarmAudit } from './farm-audit.js';
import { farmCommands, type FarmCommands } from './farm-commands.js';
import { farmConfigs, type FarmConfigs } from './farm-configs.js';
import { farmSessions, type FarmSessions } from './farm-sessions.js';
import { farmQueries, type FarmQueries } from './farm-queries.js';

/**
 * The farm as every front end sees it — CLI, console, Slack, Discord, the web: named queries and
 * commands over the engine and its ports. Front ends import this module, never ports or the engine.
 */
export interface FarmApi extends FarmQueries, FarmCommands, FarmConfigs, FarmSessions, FarmAudit {
  readonly runtimeName: string;
  readonly serving: boolean;
}

export const createFarmApi = (core: FarmCore): FarmApi => ({
  ...farmQueries(core),
  ...farmCommands(core),
  ...farmConfigs(core),
  ...farmSessions(core),
  ...farmAudit(core),
  runtimeName: core.runtimeName,
  serving: core.serving,
});

// Types of what the facade takes and returns, so front ends need nothing below this module.
export type { FarmCore, QueryCall, CommandCall } from './farm-core.js';
export type { FarmCommands, RunPreview, TakeResult } from './farm-commands.js';
export { AUDIT_RETENTION_DAYS, type AuditEntry, type AuditQuery, type FarmAudit } from './farm-audit.js';
export type { FarmQueries, IssueStatus, AttemptLog, LogStream } from './farm-queries.js';
export type { FarmConfigs, AgentConfigInput } from './farm-configs.js';
export type { AgentConfig } from '../domain/agent-config.js';
export type { FiledIssue } from '../usecases/file-issue.js';
export type { FarmSessions } from './farm-sessions.js';
export type { LocalSession, LocalSessionsReport } from '../usecases/local-sessions.js';
export type { LocalSessionSource } from '../ports/local-sessions.js';
export {
  actorFor,
  localIdentity,
  resolveRole,
  OPEN_READ_POLICY,
  type PlatformIdentity,
  type RbacPolicy,
} from './authorize.js';
export type { Actor } from '../usecases/actor.js';
export type { Dashboard } from '../usecases/dashboard.js';
export type { KillResult } from '../usecases/kill.js';
export type { ResetResult, ResetTarget } from '../usecases/reset.js';
export type { DispatchReport } from '../engine/dispatch.js';
export type { Logger } from '../ports/logger.js';
export type { QueueEntry } from '../domain/plan-dispatch.js';
export type { UsageReport, UsageRow } from '../domain/usage-report.js';
export type { LabelReading } from '../domain/labels.js';
export type { Role } from '../domain/roles.js';
export type { Attempt } from '../model/attempt.js';
export type { DispatchState } from '../model/dispatch-state.js';
export type { ReviewLease } from '../model/lease.js';
export type { IssueRef } from '../model/refs.js';
export type { IssueSnapshot } from '../model/work-items.js';
