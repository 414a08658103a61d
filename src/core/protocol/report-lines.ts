import { z } from 'zod';
import type { AgentResult } from '../model/attempt.js';

/**
 * The runner protocol: the agent runner reports to k3sc through its output, one line each.
 *
 *   [usage] {"messageId":…,"model":…,"inputTokens":…,…,"costUsd":…}   one per model message
 *   [result] {"ok":…,"summary"?,"prNumber"?,"prUrl"?,"reason"?,"quotaResetAt"?}   the last line
 *
 * A line counts only when the tag stands at column 0. The runner prints nothing else at
 * column 0 that starts with a tag: its steps start with `[k3sc]`, and every line that comes
 * from the agent and starts with a tag (even after blanks) gets `AGENT_MARK` in front
 * (`escapeAgentLine`). So the agent cannot produce a line this parser accepts.
 */
export const USAGE_TAG = '[usage]';
export const RESULT_TAG = '[result]';
/** The runner's own step lines. Not parsed; reserved so the agent cannot pass for the runner. */
export const STEP_TAG = '[k3sc]';
const RUNNER_TAGS = [USAGE_TAG, RESULT_TAG, STEP_TAG] as const;

/** Put in front of an agent line that would otherwise start with a runner tag. */
export const AGENT_MARK = '(agent) ';

/** True when a line, read leniently (leading blanks ignored), starts with a runner tag. */
export const startsWithRunnerTag = (line: string): boolean => {
  const t = line.trimStart();
  return RUNNER_TAGS.some((tag) => t.startsWith(tag));
};

/** An agent's line as the runner may print it: marked when it starts with a runner tag. */
export const escapeAgentLine = (line: string): string =>
  startsWithRunnerTag(line) ? `${AGENT_MARK}${line}` : line;

/** Every line break some reader of a log may split on (`\n`, `\r`, VT, FF, FS–RS, NEL, LS, PS). */
// eslint-disable-next-line no-control-regex -- these control characters are the point
export const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/;

// Token counts are whole numbers: the state store refuses anything else, and a record it
// refuses would leave the attempt live forever.
const tokens = z.number().int().nonnegative().default(0);

export const usageLineSchema = z.object({
  messageId: z.string().min(1),
  model: z.string().optional(),
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
  costUsd: z.number().nonnegative().default(0),
});

/** One `[usage]` line as read. */
export type UsageLine = z.output<typeof usageLineSchema>;
/** What `formatUsageLine` takes (absent counts are 0). */
export type UsageLineInput = z.input<typeof usageLineSchema>;

/** Any time Date understands, normalised to ISO-8601 (what the store and the quota logic expect). */
const isoTime = z.string().transform((s, ctx) => {
  const t = Date.parse(s);
  const iso = Number.isNaN(t) ? '' : new Date(t).toISOString();
  if (/^\d{4}-/.test(iso)) return iso;
  ctx.addIssue({ code: 'custom', message: `not a time: ${s}` });
  return z.NEVER;
});

export const resultLineSchema = z.object({
  ok: z.boolean(),
  summary: z.string().optional(),
  prNumber: z.number().int().positive().optional(),
  prUrl: z.string().optional(),
  reason: z.string().optional(),
  quotaResetAt: isoTime.optional(),
});

/** Longest text field a report line carries, so a line stays far below any reader's line limit. */
export const MAX_FIELD_CHARS = 4000;
const MAX_ID_CHARS = 200;

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

// JSON.stringify leaves U+0085, U+2028 and U+2029 raw; some readers split lines there.
const oneLine = (json: string): string =>
  json.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const formatUsageLine = (u: UsageLineInput): string =>
  `${USAGE_TAG} ${oneLine(
    JSON.stringify({
      messageId: clip(u.messageId, MAX_ID_CHARS),
      model: clip(u.model ?? '', MAX_ID_CHARS),
      inputTokens: u.inputTokens ?? 0,
      outputTokens: u.outputTokens ?? 0,
      cacheReadTokens: u.cacheReadTokens ?? 0,
      cacheWriteTokens: u.cacheWriteTokens ?? 0,
      costUsd: u.costUsd ?? 0,
    }),
  )}`;

export const formatResultLine = (r: AgentResult): string => {
  const text = (s: string | undefined): string | undefined =>
    s === undefined ? undefined : clip(s, MAX_FIELD_CHARS);
  const fields = {
    ok: r.ok,
    summary: text(r.summary),
    prNumber: r.prNumber,
    prUrl: text(r.prUrl),
    reason: text(r.reason),
    quotaResetAt: r.quotaResetAt,
  };
  return `${RESULT_TAG} ${oneLine(JSON.stringify(fields))}`;
};

/** A line of the protocol: a usage record, a result, or a tagged line that did not parse. */
export type ReportLine =
  | { readonly kind: 'usage'; readonly usage: UsageLine }
  | { readonly kind: 'result'; readonly result: AgentResult }
  | { readonly kind: 'malformed'; readonly line: string };

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const stripUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Reads one line; undefined unless it starts with `[usage]` or `[result]` at column 0. */
export const readReportLine = (line: string): ReportLine | undefined => {
  if (line.startsWith(USAGE_TAG)) {
    const parsed = usageLineSchema.safeParse(safeJson(line.slice(USAGE_TAG.length).trim()));
    return parsed.success
      ? { kind: 'usage', usage: stripUndefined(parsed.data) }
      : { kind: 'malformed', line };
  }
  if (line.startsWith(RESULT_TAG)) {
    const parsed = resultLineSchema.safeParse(safeJson(line.slice(RESULT_TAG.length).trim()));
    return parsed.success
      ? { kind: 'result', result: stripUndefined(parsed.data) as AgentResult }
      : { kind: 'malformed', line };
  }
  return undefined;
};

/** A `[usage] {json}` line as the runner prints it; undefined for any other line. */
export const parseUsageLine = (line: string): UsageLine | undefined => {
  const r = readReportLine(line);
  return r?.kind === 'usage' ? r.usage : undefined;
};

/** The runner's `[result] {json}` line; undefined for any other line. */
export const parseResultLine = (line: string): AgentResult | undefined => {
  const r = readReportLine(line);
  return r?.kind === 'result' ? r.result : undefined;
};

/** The last `[result]` line among `lines`, if any. */
export const findResult = (lines: readonly string[]): AgentResult | undefined => {
  for (let i = lines.length - 1; i >= 0; i--) {
    const r = parseResultLine(lines[i] ?? '');
    if (r !== undefined) return r;
  }
  return undefined;
};
