import { abbreviate } from './abbreviate.js';
import type { StreamContext, StreamEvent } from './agent-stream.js';
import { describeToolCall } from './claude-events.js';
import { asArray, asNumber, asObject, asString, type Json } from './json-fields.js';

const renderItem = (type: string, item: Json): StreamEvent | undefined => {
  const kind = asString(item['type']);
  if (kind === 'agent_message') {
    const text = asString(item['text']) ?? '';
    return type === 'item.completed' ? { lines: text.split('\n'), finalText: text } : { lines: [] };
  }
  if (kind === 'command_execution') {
    if (type === 'item.started') return { lines: [describeToolCall('Bash', { command: item['command'] })] };
    const code = asNumber(item['exit_code']);
    const output = abbreviate(asString(item['aggregated_output']) ?? '', 160);
    return { lines: [`  ← ${code === undefined ? '' : `exit ${code}: `}${output}`] };
  }
  if (kind === 'file_change' && type === 'item.completed') {
    const paths = asArray(item['changes']).map((c) => asString(asObject(c)?.['path']) ?? '?');
    return { lines: [describeToolCall('Edit', { path: paths.join(', ') })] };
  }
  // Error items are warnings the run goes on after (config, deprecation, reroutes): no signal.
  if (kind === 'error') return { lines: [`[agent] warning: ${asString(item['message']) ?? ''}`] };
  return kind === undefined ? undefined : { lines: [] };
};

const renderTurnCompleted = (event: Json, ctx: StreamContext): StreamEvent => {
  ctx.state.turns += 1;
  const usage = asObject(event['usage']);
  if (usage === undefined) return { lines: [] };
  const input = asNumber(usage['input_tokens']) ?? 0;
  const cached = asNumber(usage['cached_input_tokens']) ?? 0;
  return {
    lines: [],
    usage: {
      messageId: `${ctx.state.threadId ?? 'codex'}:turn-${ctx.state.turns}`,
      model: ctx.model ?? '',
      inputTokens: Math.max(0, input - cached),
      outputTokens: asNumber(usage['output_tokens']) ?? 0,
      cacheReadTokens: cached,
      cacheWriteTokens: 0,
    },
  };
};

/** Codex `exec --json` events; undefined for events of other formats. */
export const renderCodexEvent = (event: Json, ctx: StreamContext): StreamEvent | undefined => {
  const type = asString(event['type']) ?? '';
  if (type === 'thread.started') {
    const id = asString(event['thread_id']);
    if (id !== undefined) ctx.state.threadId = id;
    return { lines: [`[agent] thread ${id ?? '?'}`] };
  }
  if (type === 'turn.started') return { lines: [] };
  if (type === 'turn.completed') return renderTurnCompleted(event, ctx);
  // The CLI's own errors: `error` (the stream's fatal error) and `turn.failed`.
  if (type === 'turn.failed' || type === 'error') {
    const msg = asString(asObject(event['error'])?.['message']) ?? asString(event['message']) ?? type;
    return { lines: [`[agent] error: ${msg}`], signal: { kind: 'notice', text: msg } };
  }
  const item = asObject(event['item']);
  if (type.startsWith('item.') && item !== undefined) return renderItem(type, item);
  return undefined;
};
