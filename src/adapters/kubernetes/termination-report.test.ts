import { describe, expect, it } from 'vitest';
import { parseAgentOutput } from '../../core/domain/agent-output.js';
import { terminationMessage, withTerminationReport } from './termination-report.js';

const RESULT = '[result] {"ok":false,"reason":"usage limit","quotaResetAt":"2026-03-01T13:00:00.000Z"}';
const USAGE = '[usage] {"messageId":"m1","inputTokens":1,"outputTokens":1,"costUsd":0.1}';

describe('withTerminationReport', () => {
  it('completes an empty or cut-short log with the report lines of the termination message', () => {
    const message = `claude: usage limit\n${USAGE}\n${RESULT}`;
    expect(withTerminationReport('', message)).toBe(`${USAGE}\n${RESULT}\n`);
    const completed = withTerminationReport(`working\n${USAGE}`, message);
    expect(completed).toBe(`working\n${USAGE}\n${RESULT}\n`);
    expect(parseAgentOutput(completed).result?.quotaResetAt).toBe('2026-03-01T13:00:00.000Z');
    expect(parseAgentOutput(completed).usage.costUsd).toBe(0.1);
  });

  it('keeps a log that has its result, and one with no message; agent lines never count', () => {
    const log = `${RESULT}\n`;
    expect(withTerminationReport(log, '[result] {"ok":true}')).toBe(log);
    expect(withTerminationReport('x\n', undefined)).toBe('x\n');
    expect(withTerminationReport('x\n', `(agent) ${RESULT}`)).toBe('x\n');
  });

  it('reads the agent container’s terminated message, current or last state', () => {
    const pod = (terminated: object, key = 'state') => ({
      status: {
        containerStatuses: [
          { name: 'agent', image: '', imageID: '', ready: false, restartCount: 0, [key]: { terminated } },
        ],
      },
    });
    expect(terminationMessage(pod({ exitCode: 1, message: 'm' }))).toBe('m');
    expect(terminationMessage(pod({ exitCode: 1, message: 'n' }, 'lastState'))).toBe('n');
    expect(terminationMessage(pod({ exitCode: 1, message: '' }))).toBeUndefined();
    expect(terminationMessage(undefined)).toBeUndefined();
  });
});
