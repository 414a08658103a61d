import { describe, expect, it } from 'vitest';
import { renderAgentLine, type StreamContext } from './agent-stream.js';

const ctx = (model?: string): StreamContext => ({ ...(model ? { model } : {}), state: { turns: 0 } });
const line = (o: object): string => JSON.stringify(o);

describe('renderAgentLine (Claude stream-json)', () => {
  it('renders assistant text and tool calls, and reads usage', () => {
    const ev = renderAgentLine(
      line({
        type: 'assistant',
        message: {
          id: 'msg_1',
          model: 'claude-x',
          content: [
            { type: 'text', text: 'Looking around.\nThen fixing.' },
            { type: 'tool_use', name: 'Bash', input: { command: 'ls -la' } },
            { type: 'tool_use', name: 'Read', input: { file_path: 'src/a.ts' } },
          ],
          usage: {
            input_tokens: 3,
            output_tokens: 7,
            cache_read_input_tokens: 11,
            cache_creation_input_tokens: 13,
          },
        },
      }),
      ctx(),
    );
    expect(ev.lines).toEqual(['Looking around.', 'Then fixing.', '→ Bash: ls -la', '→ Read: src/a.ts']);
    expect(ev.usage).toEqual({
      messageId: 'msg_1',
      model: 'claude-x',
      inputTokens: 3,
      outputTokens: 7,
      cacheReadTokens: 11,
      cacheWriteTokens: 13,
    });
    expect(ev.finalText).toBe('Looking around.\nThen fixing.');
  });

  it('abbreviates tool results', () => {
    const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const ev = renderAgentLine(
      line({
        type: 'user',
        message: {
          content: [
            { type: 'tool_result', content: [{ type: 'text', text: long }] },
            { type: 'tool_result', is_error: true, content: 'boom' },
          ],
        },
      }),
      ctx(),
    );
    expect(ev.lines).toEqual(['  ← line 0 (+49 lines)', '  ← error: boom']);
  });

  it('reads cost and final text from the result event', () => {
    const ev = renderAgentLine(
      line({ type: 'result', subtype: 'success', num_turns: 4, result: 'All done.', total_cost_usd: 0.5 }),
      ctx(),
    );
    expect(ev.costUsd).toBe(0.5);
    expect(ev.finalText).toBe('All done.');
    expect(ev.lines[0]).toBe('[agent] success, 4 turns, $0.5000: All done.');
  });

  it('reports synthetic notices and error results as signals, never the model’s text', () => {
    const notice = renderAgentLine(
      line({
        type: 'assistant',
        message: {
          id: 's',
          model: '<synthetic>',
          content: [{ type: 'text', text: 'Claude AI usage limit reached|1' }],
        },
      }),
      ctx(),
    );
    expect(notice.signal).toEqual({ kind: 'notice', text: 'Claude AI usage limit reached|1' });
    expect(notice.usage).toBeUndefined();
    const short = renderAgentLine(
      line({
        type: 'assistant',
        message: { id: 'p', model: 'm', content: [{ type: 'text', text: 'usage limit reached' }] },
      }),
      ctx(),
    );
    expect(short.signal).toBeUndefined();
    const ok = renderAgentLine(
      line({ type: 'result', subtype: 'success', result: 'usage limit reached' }),
      ctx(),
    );
    expect(ok.signal).toEqual({ kind: 'result', isError: false });
    const failed = renderAgentLine(
      line({ type: 'result', subtype: 'error_during_execution', result: 'boom' }),
      ctx(),
    );
    expect(failed.signal).toEqual({ kind: 'result', isError: true, text: 'boom' });
    expect(failed.lines[0]).toBe('[agent] failed: boom');
  });

  it('renders a rejected rate_limit_event and stays quiet about allowed ones', () => {
    const info = { status: 'rejected', resetsAt: 1748782800, rateLimitType: 'five_hour' };
    const rejected = renderAgentLine(line({ type: 'rate_limit_event', rate_limit_info: info }), ctx());
    expect(rejected.lines).toEqual([
      '[agent] rate limit rejected (five_hour, resets 2025-06-01T13:00:00.000Z)',
    ]);
    expect(rejected.signal).toEqual({ kind: 'rate-limit', status: 'rejected', resetsAt: 1748782800 });
    const allowed = renderAgentLine(
      line({ type: 'rate_limit_event', rate_limit_info: { ...info, status: 'allowed' } }),
      ctx(),
    );
    expect(allowed.lines).toEqual([]);
  });
});

describe('renderAgentLine (Codex exec --json)', () => {
  it('renders messages and commands and numbers turn usage per thread', () => {
    const c = ctx('gpt-5');
    renderAgentLine(line({ type: 'thread.started', thread_id: 't1' }), c);
    expect(
      renderAgentLine(
        line({ type: 'item.started', item: { type: 'command_execution', command: 'npm test' } }),
        c,
      ).lines,
    ).toEqual(['→ Bash: npm test']);
    expect(
      renderAgentLine(
        line({
          type: 'item.completed',
          item: { type: 'command_execution', exit_code: 0, aggregated_output: 'ok\nmore' },
        }),
        c,
      ).lines,
    ).toEqual(['  ← exit 0: ok (+1 lines)']);
    expect(
      renderAgentLine(line({ type: 'item.completed', item: { type: 'agent_message', text: 'Done.' } }), c)
        .finalText,
    ).toBe('Done.');
    const usage = renderAgentLine(
      line({
        type: 'turn.completed',
        usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 9 },
      }),
      c,
    ).usage;
    expect(usage).toEqual({
      messageId: 't1:turn-1',
      model: 'gpt-5',
      inputTokens: 60,
      outputTokens: 9,
      cacheReadTokens: 40,
      cacheWriteTokens: 0,
    });
    expect(
      renderAgentLine(line({ type: 'turn.failed', error: { message: "You've hit your usage limit" } }), c)
        .signal,
    ).toEqual({ kind: 'notice', text: "You've hit your usage limit" });
    const warning = renderAgentLine(
      line({ type: 'item.completed', item: { type: 'error', message: 'w' } }),
      c,
    );
    expect(warning).toEqual({ lines: ['[agent] warning: w'] });
  });
});

describe('renderAgentLine (other output)', () => {
  it('passes plain lines and unknown JSON through; only plain lines are a signal', () => {
    expect(renderAgentLine('hello world', ctx())).toEqual({
      lines: ['hello world'],
      signal: { kind: 'plain', text: 'hello world' },
    });
    const unknown = line({ type: 'something_new', x: 1 });
    expect(renderAgentLine(unknown, ctx())).toEqual({ lines: [unknown] });
    expect(renderAgentLine('{not json', ctx()).lines).toEqual(['{not json']);
  });
});
