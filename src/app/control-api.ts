import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Farm } from '../bot/farm.js';
import { findCommand } from '../bot/command-table.js';
import { renderText } from '../bot/render/text.js';
import { runCommand, type AuditLog } from '../bot/run-command.js';
import type { Logger } from '../core/ports/logger.js';
import { errorReply } from '../bot/reply.js';
import { MAX_ARGUMENT_CHARS, oversizedArgument } from './argument-limits.js';
import { exitCodeOfReply } from './exit-codes.js';
import { readBody, sendJson } from './http-server.js';

const requestSchema = z.object(
  {
    command: z
      .string({
        error: (iss) =>
          iss.input === undefined ? 'required, e.g. "top"' : 'must be a command name (a string), e.g. "top"',
      })
      .min(1, { error: 'must not be empty' }),
    args: z
      .record(z.string(), z.unknown(), {
        error: 'must be a mapping of argument names to values, e.g. {"issue": "acme/widgets#12"}',
      })
      .default({}),
    user: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(100, { error: 'must be at most 100 characters' })
      .default('cli'),
  },
  { error: 'the body must be a JSON object like {"command": "top", "args": {}}' },
);

const BODY_LIMIT = 64 * 1024;

/** The request's problems in words (`command: required, e.g. "top"`), never zod's JSON. */
const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

type Parsed =
  { ok: true; body: z.infer<typeof requestSchema> } | { ok: false; status: number; error: string };

const parseRequest = async (req: IncomingMessage): Promise<Parsed> => {
  let text: string;
  try {
    text = await readBody(req, BODY_LIMIT);
  } catch {
    return {
      ok: false,
      status: 413,
      error: `bad control request: the body is larger than 64 KiB (no argument may be longer than ${MAX_ARGUMENT_CHARS} characters)`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: 'bad control request: the body is not valid JSON' };
  }
  const parsed = requestSchema.safeParse(json);
  return parsed.success
    ? { ok: true, body: parsed.data }
    : { ok: false, status: 400, error: `bad control request: ${describeIssues(parsed.error)}` };
};

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * `POST /api/command`: how a CLI process runs a command inside the running `serve`, which owns
 * the state file. Bearer token from the control file (mode 0600). Answers NDJSON: streamed
 * `{type:"line"}` records (for `logs -f`), then one `{type:"reply"}`.
 */
export const controlHandler =
  (opts: { farm: Farm; token: string; logger: Logger; audit: AuditLog; signal: AbortSignal }) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const auth = req.headers.authorization ?? '';
    if (!sameSecret(auth, `Bearer ${opts.token}`)) {
      sendJson(res, 401, { error: 'missing or wrong control token' });
      return;
    }
    const request = await parseRequest(req);
    if (!request.ok) {
      sendJson(res, request.status, { error: request.error });
      return;
    }
    const body = request.body;
    const spec = findCommand(body.command);
    if (!spec) {
      sendJson(res, 404, { error: `unknown command ${body.command}` });
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const signal = AbortSignal.any([abort.signal, opts.signal]);
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const actor = { id: `cli:${body.user}`, display: body.user, role: 'admin' as const };
    const stream = (line: string): void => void res.write(`${JSON.stringify({ type: 'line', line })}\n`);
    const tooLong = oversizedArgument(spec.name, body.args);
    const reply =
      tooLong !== undefined
        ? errorReply('bad_input', tooLong)
        : await runCommand(
            spec,
            body.args,
            { farm: opts.farm, actor, signal, stream },
            { logger: opts.logger, audit: opts.audit, where: 'cli' },
          );
    res.end(
      `${JSON.stringify({ type: 'reply', text: renderText(reply), data: reply.data, exitCode: exitCodeOfReply(reply.data) })}\n`,
    );
  };
