import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Farm } from '../bot/farm.js';
import { findCommand } from '../bot/command-table.js';
import { renderText } from '../bot/render/text.js';
import { runCommand, type AuditLog } from '../bot/run-command.js';
import type { Logger } from '../core/ports/logger.js';
import { readBody, sendJson } from './http-server.js';

const requestSchema = z.object({
  command: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  user: z.string().min(1).max(100).default('cli'),
});

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
    let body: z.infer<typeof requestSchema>;
    try {
      body = requestSchema.parse(JSON.parse(await readBody(req, 64 * 1024)));
    } catch (err) {
      sendJson(res, 400, {
        error: `bad control request: ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
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
    const reply = await runCommand(
      spec,
      body.args,
      { farm: opts.farm, actor, signal, stream },
      { logger: opts.logger, audit: opts.audit, where: 'cli' },
    );
    res.end(
      `${JSON.stringify({ type: 'reply', text: renderText(reply), data: reply.data, exitCode: reply.exitCode ?? 0 })}\n`,
    );
  };
