import { describe, expect, it } from 'vitest';
import { renderAgentLine, type StreamContext } from './agent-stream.js';
import { addSignal, DEFAULT_QUOTA_BACKOFF_MS, detectUsageLimit, NO_EVIDENCE } from './quota-detect.js';
import type { AgentExit } from './run-agent.js';
import { nextWallClockTime, wallClockOn } from './wall-clock.js';

const now = new Date('2025-06-01T10:00:00Z');
const fallback = new Date(now.getTime() + DEFAULT_QUOTA_BACKOFF_MS).toISOString();
const exited = (exitCode: number | null, more: Partial<AgentExit> = {}): AgentExit => ({
  exitCode,
  signal: null,
  timedOut: false,
  aborted: false,
  ...more,
});

/** Feeds agent output lines (objects are JSON events) through the renderer into the detector. */
const detect = (output: readonly (object | string)[], exit: AgentExit): string | undefined => {
  const ctx: StreamContext = { state: { turns: 0 } };
  let evidence = NO_EVIDENCE;
  for (const o of output) {
    const ev = renderAgentLine(typeof o === 'string' ? o : JSON.stringify(o), ctx);
    if (ev.signal !== undefined) evidence = addSignal(evidence, ev.signal);
  }
  return detectUsageLimit(evidence, exit, now);
};

const synthetic = (text: string, extra: object = {}) => ({
  type: 'assistant',
  message: { id: 's', model: '<synthetic>', content: [{ type: 'text', text }] },
  ...extra,
});
const prose = (text: string) => ({
  type: 'assistant',
  message: { id: 'p', model: 'claude-sonnet-4-5', content: [{ type: 'text', text }] },
});
const errorResult = (text: string, extra: object = {}) => ({
  type: 'result',
  subtype: 'success',
  is_error: true,
  result: text,
  ...extra,
});
const okResult = (text: string) => ({ type: 'result', subtype: 'success', is_error: false, result: text });
const codexError = (message: string) => ({ type: 'error', message });
const codexFailed = (message: string) => ({ type: 'turn.failed', error: { message } });

describe('detectUsageLimit: the CLIs’ known signals', () => {
  it('Claude Code 1.x: "Claude AI usage limit reached|<epoch>" as a synthetic notice and error result', () => {
    const msg = 'Claude AI usage limit reached|1748782800';
    expect(detect([synthetic(msg), errorResult(msg)], exited(1))).toBe('2025-06-01T13:00:00.000Z');
  });

  it('Claude Code: "5-hour limit reached ∙ resets 3pm" in this machine’s zone', () => {
    expect(detect([errorResult('5-hour limit reached ∙ resets 3pm')], exited(1))).toBe(
      nextWallClockTime(now, 15, 0).toISOString(),
    );
  });

  it('Claude Code 2.x: "You’ve hit your limit · resets …" with a zone, a date, or a weekly limit', () => {
    expect(detect([errorResult("You've hit your limit · resets 8pm (Europe/Berlin)")], exited(1))).toBe(
      '2025-06-01T18:00:00.000Z',
    );
    expect(
      detect([errorResult("You've hit your limit · resets Apr 23 at 4pm (America/Recife)")], exited(1)),
    ).toBe('2026-04-23T19:00:00.000Z');
    expect(detect([errorResult('You’ve hit your limit · resets Jan 21, 5am (Etc/GMT-9)')], exited(1))).toBe(
      '2026-01-20T20:00:00.000Z',
    );
    expect(
      detect([synthetic("You've hit your weekly limit · resets 9:15am (UTC)\n/upgrade for more")], exited(1)),
    ).toBe('2025-06-02T09:15:00.000Z');
  });

  it('Claude Code: a rejected rate_limit_event gives the reset, whatever the message says', () => {
    const resetsAt = Date.parse('2025-06-01T14:00:00Z') / 1000;
    const event = {
      type: 'rate_limit_event',
      rate_limit_info: { status: 'rejected', resetsAt, rateLimitType: 'five_hour' },
    };
    expect(
      detect([event, synthetic('Some new wording', { error: 'rate_limit' }), errorResult('x')], exited(1)),
    ).toBe('2025-06-01T14:00:00.000Z');
  });

  it('Claude Code: an error result with exit code 0 (anthropics/claude-code#79500) still counts', () => {
    expect(detect([errorResult('Claude AI usage limit reached|1748782800')], exited(0))).toBe(
      '2025-06-01T13:00:00.000Z',
    );
  });

  it('Codex exec --json: error and turn.failed events with its usage-limit messages', () => {
    expect(
      detect(
        [
          codexError("You've hit your usage limit. Try again at 3:15 PM."),
          codexFailed("You've hit your usage limit. Try again at 3:15 PM."),
        ],
        exited(1),
      ),
    ).toBe(nextWallClockTime(now, 15, 15).toISOString());
    const plus =
      "You've hit your usage limit. Upgrade to Pro (https://openai.com/chatgpt/pricing), visit https://chatgpt.com/codex/settings/usage to purchase more credits or try again at Jun 2nd, 2025 3:15 PM.";
    expect(detect([codexFailed(plus)], exited(1))).toBe(wallClockOn(2025, 5, 2, 15, 15).toISOString());
    expect(detect([codexFailed("You've hit your usage limit. Try again later.")], exited(1))).toBe(fallback);
    expect(detect([codexError('Quota exceeded. Check your plan and billing details.')], exited(1))).toBe(
      fallback,
    );
  });

  it('Codex: the backend’s usage_limit_reached body quoted in an error event', () => {
    const body =
      'unexpected status 429 Too Many Requests: {"type":"error","error":{"type":"usage_limit_reached","message":"The usage limit has been reached","resets_at":1748782800,"resets_in_seconds":10800}}';
    expect(detect([codexFailed(body)], exited(1))).toBe('2025-06-01T13:00:00.000Z');
  });

  it('a CLI without a JSON mode: the exact message as its last line, with a failed exit', () => {
    expect(detect(['codex', "ERROR: You've hit your usage limit. Try again in 2 hours."], exited(1))).toBe(
      '2025-06-01T12:00:00.000Z',
    );
    expect(detect(['Claude AI usage limit reached|1748782800'], exited(1))).toBe('2025-06-01T13:00:00.000Z');
  });

  it('falls back to an hour when the reset time is missing, unreadable or past', () => {
    expect(detect([errorResult("You're out of extra usage")], exited(1))).toBe(fallback);
    expect(detect([errorResult('Claude AI usage limit reached|1000000000')], exited(1))).toBe(fallback);
  });
});

describe('detectUsageLimit: never from the agent’s prose', () => {
  const phrases = [
    'Claude AI usage limit reached|1748782800',
    "You've hit your usage limit. Try again at 3:15 PM.",
    'Rate limit exceeded, resets at 2025-06-01T15:30:00Z',
    'usage limit exceeded; on a rate limit we try again in 5 minutes',
  ];

  it('a run that exited 0 with a success result is never a quota hit', () => {
    for (const p of phrases) {
      expect(detect([prose(p), p, okResult(p)], exited(0))).toBeUndefined();
      expect(detect([synthetic(p), okResult('done')], exited(0))).toBeUndefined();
    }
  });

  it('a CLI success result wins over a failed exit', () => {
    expect(detect([synthetic(phrases[0]!), okResult('done')], exited(1))).toBeUndefined();
  });

  it('the model quoting a limit message does not make a failed run a quota hit', () => {
    for (const p of phrases) expect(detect([prose(p), 'npm test failed'], exited(1))).toBeUndefined();
  });

  it('plain lines count only as the exact message, last, with a failed exit', () => {
    expect(detect([phrases[0]!], exited(0))).toBeUndefined();
    expect(detect([phrases[0]!, 'then something else'], exited(1))).toBeUndefined();
    expect(detect(['Note: Claude AI usage limit reached|1748782800'], exited(1))).toBeUndefined();
    expect(detect([phrases[3]!], exited(1))).toBeUndefined();
  });

  it('tool output, Codex warnings and agent messages are no signal', () => {
    const tool = {
      type: 'user',
      message: { content: [{ type: 'tool_result', is_error: true, content: phrases[0] }] },
    };
    const warning = { type: 'item.completed', item: { type: 'error', message: phrases[1] } };
    const message = { type: 'item.completed', item: { type: 'agent_message', text: phrases[1] } };
    expect(detect([tool, warning, message], exited(1))).toBeUndefined();
  });

  it('a per-minute API rate limit and an allowed_warning event are no usage limit', () => {
    const warning = {
      type: 'rate_limit_event',
      rate_limit_info: { status: 'allowed_warning', resetsAt: 1748782800 },
    };
    expect(detect([warning, errorResult('API Error: Rate limit reached')], exited(1))).toBeUndefined();
  });

  it('a run the runner stopped (deadline, abort) or could not start is no usage limit', () => {
    const limit = [synthetic(phrases[0]!), errorResult(phrases[0]!)];
    expect(detect(limit, exited(null, { timedOut: true, signal: 'SIGTERM' }))).toBeUndefined();
    expect(detect(limit, exited(null, { aborted: true, signal: 'SIGTERM' }))).toBeUndefined();
    expect(detect(limit, exited(null, { spawnError: 'nope' }))).toBeUndefined();
  });
});
