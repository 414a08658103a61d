import { K3scError } from '../errors.js';
import { localSessionsReport, type LocalSessionsReport } from '../usecases/local-sessions.js';
import type { FarmCore, QueryCall } from './farm-core.js';

export interface FarmSessions {
  /** Claude Code sessions running on this machine, their cost, and the open 5-hour block. */
  sessions(call: QueryCall): Promise<LocalSessionsReport>;
}

export const farmSessions = (core: FarmCore): FarmSessions => ({
  sessions: (call) => {
    const source = core.localSessions;
    if (!source)
      return Promise.reject(new K3scError('unavailable', 'local sessions are not readable in this process'));
    return localSessionsReport({ source, clock: core.deps.clock }, call.signal);
  },
});
