import { abbreviate } from './abbreviate.js';
import type { StreamEvent } from './agent-stream.js';
import { asArray, asNumber, asObject, asString, type Json } from './json-fields.js';
import type { UsageSample } from './usage-tracker.js';

const TOOL_ARG_KEYS = ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt'];

/** `→ Bash: ls -la`, `→ Read: src/a.ts`, or the tool's input abbreviated. */
export const describeToolCall = (name: string, input: Json | undefined): string => {
  const key = TOOL_ARG_KEYS.find((k) => asString(input?.[k]) !== undefined);
  const arg = key === undefined ? JSON.stringify(input ?? {}) : (asString(input?.[key]) ?? '');
  return `→ ${name}: ${abbreviate(arg, 160)}`;
};

const toolResultText = (block: Json): string => {
  const content = block['content'];
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((c) => asString(asObject(c)?.['text']) ?? '')
    .join('\n');
};

const usageOf = (message: Json): UsageSample | undefined => {
  const id = asString(message['id']);
  const usage = asObject(message['usage']);
  if (id === undefined || usage === undefined) return undefined;
  return {
    messageId: id,
    model: asString(message['model']) ?? '',
    inputTokens: asNumber(usage['input_tokens']) ?? 0,
    outputTokens: asNumber(usage['output_tokens']) ?? 0,
    cacheReadTokens: asNumber(usage['cache_read_input_tokens']) ?? 0,
    cacheWriteTokens: asNumber(usage['cache_creation_input_tokens']) ?? 0,
  };
};

/**
 * Messages Claude Code makes itself (API errors, usage limits) carry the model `<synthetic>`,
 * and newer versions also an `error` code on the event; everything else is the model talking.
 */
const isCliMessage = (event: Json, message: Json): boolean =>
  asString(message['model']) === '<synthetic>' ||
  asString(event['error']) !== undefined ||
  event['is_api_error_message'] === true;

const renderAssistant = (event: Json, message: Json): StreamEvent => {
  const lines: string[] = [];
  const texts: string[] = [];
  for (const item of asArray(message['content'])) {
    const block = asObject(item);
    const type = asString(block?.['type']);
    if (type === 'text') {
      const text = asString(block?.['text']) ?? '';
      texts.push(text);
      lines.push(...text.split('\n'));
    } else if (type === 'tool_use') {
      lines.push(describeToolCall(asString(block?.['name']) ?? 'tool', asObject(block?.['input'])));
    }
  }
  const text = texts.join('\n');
  const usage = usageOf(message);
  const cli = isCliMessage(event, message);
  return {
    lines,
    ...(usage === undefined || usage.model === '<synthetic>' ? {} : { usage }),
    ...(text ? { finalText: text } : {}),
    ...(cli && text ? { signal: { kind: 'notice', text } } : {}),
  };
};

const renderToolResults = (message: Json): StreamEvent => {
  const lines: string[] = [];
  for (const item of asArray(message['content'])) {
    const block = asObject(item);
    if (asString(block?.['type']) !== 'tool_result' || block === undefined) continue;
    const prefix = block['is_error'] === true ? '  ← error: ' : '  ← ';
    lines.push(prefix + abbreviate(toolResultText(block), 160));
  }
  return { lines };
};

/** An error result: `is_error`, or an `error_*` subtype (`error_max_turns`, `error_during_execution`). */
const isErrorResult = (event: Json): boolean => {
  const subtype = asString(event['subtype']);
  return event['is_error'] === true || (subtype !== undefined && subtype !== 'success');
};

const renderResult = (event: Json): StreamEvent => {
  const text = asString(event['result']) ?? '';
  const cost = asNumber(event['total_cost_usd']);
  const turns = asNumber(event['num_turns']);
  const isError = isErrorResult(event);
  const status = isError ? 'failed' : (asString(event['subtype']) ?? 'done');
  const facts = [
    status,
    turns === undefined ? '' : `${turns} turns`,
    cost === undefined ? '' : `$${cost.toFixed(4)}`,
  ];
  return {
    lines: [`[agent] ${facts.filter(Boolean).join(', ')}${text ? `: ${abbreviate(text, 200)}` : ''}`],
    ...(cost === undefined ? {} : { costUsd: cost }),
    ...(text ? { finalText: text } : {}),
    // A successful result's text is the model's summary: never evidence of anything.
    signal: { kind: 'result', isError, ...(isError && text ? { text } : {}) },
  };
};

/** `{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":<s>,"rateLimitType":"five_hour"}}` */
const renderRateLimit = (event: Json): StreamEvent => {
  const info = asObject(event['rate_limit_info']) ?? {};
  const status = asString(info['status']) ?? 'unknown';
  const resetsAt = asNumber(info['resetsAt']);
  const kind = asString(info['rateLimitType']);
  const when = resetsAt === undefined ? '' : `, resets ${new Date(resetsAt * 1000).toISOString()}`;
  return {
    lines: status === 'allowed' ? [] : [`[agent] rate limit ${status}${kind ? ` (${kind}${when})` : when}`],
    signal: { kind: 'rate-limit', status, ...(resetsAt === undefined ? {} : { resetsAt }) },
  };
};

/** Claude Code stream-json events; undefined for events of other formats. */
export const renderClaudeEvent = (event: Json): StreamEvent | undefined => {
  const type = asString(event['type']);
  const message = asObject(event['message']);
  if (type === 'assistant' && message !== undefined) return renderAssistant(event, message);
  if (type === 'user' && message !== undefined) return renderToolResults(message);
  if (type === 'result') return renderResult(event);
  if (type === 'rate_limit_event') return renderRateLimit(event);
  if (type === 'system') {
    const model = asString(event['model']);
    return {
      lines: [`[agent] ${asString(event['subtype']) ?? 'system'}${model ? ` (model ${model})` : ''}`],
    };
  }
  return undefined;
};
