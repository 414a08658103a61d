import { request, type IncomingMessage } from 'node:http';
import { userInfo } from 'node:os';
import { K3scError } from '../core/errors.js';
import type { ControlInfo } from './control-file.js';

export interface RemoteReply {
  readonly text: string;
  readonly data: unknown;
  readonly exitCode: number;
}

/** POSTs `body` with node:http (lighter to load than fetch, which the lean CLI path avoids). */
const post = (url: string, token: string, body: string, signal?: AbortSignal): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
      ...(signal ? { signal } : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end(body);
  });

const readAll = async (res: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
};

const stopped = (): K3scError => new K3scError('unavailable', 'stopped before k3sc serve replied');

/** A non-2xx answer as an error with the server's own words (`{"error": "…"}`), not its raw body. */
const refusal = (status: number, text: string): K3scError => {
  let message = text.slice(0, 500);
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object' && 'error' in body && typeof body.error === 'string')
      message = body.error;
  } catch {
    // not JSON: keep the text
  }
  const code = status === 400 || status === 413 ? 'bad_input' : status === 404 ? 'not_found' : 'unavailable';
  return new K3scError(code, `k3sc serve refused the command (HTTP ${status}): ${message}`);
};

/** Runs a table command inside the running `serve` over its control endpoint (NDJSON). */
export const runRemoteCommand = async (
  info: ControlInfo,
  command: string,
  args: Record<string, unknown>,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<RemoteReply> => {
  const body = JSON.stringify({ command, args, user: userInfo().username });
  let res: IncomingMessage;
  try {
    res = await post(`${info.url}/api/command`, info.token, body, signal);
  } catch (err) {
    if (signal?.aborted) throw stopped();
    throw new K3scError(
      'unavailable',
      `k3sc serve (pid ${info.pid}) did not answer at ${info.url}: ${(err as Error).message}`,
    );
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw refusal(status, await readAll(res));
  res.setEncoding('utf8');
  let buffered = '';
  let reply: RemoteReply | undefined;
  try {
    for await (const chunk of res) {
      buffered += String(chunk);
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const rec = JSON.parse(buffered.slice(0, nl)) as { type: string; line?: string } & RemoteReply;
        buffered = buffered.slice(nl + 1);
        if (rec.type === 'line') onLine(rec.line ?? '');
        else reply = { text: rec.text, data: rec.data, exitCode: rec.exitCode };
        nl = buffered.indexOf('\n');
      }
    }
  } catch (err) {
    if (signal?.aborted) throw stopped();
    throw new K3scError('unavailable', `k3sc serve broke off its answer: ${(err as Error).message}`);
  }
  if (!reply) throw new K3scError('unavailable', 'k3sc serve closed the connection before replying');
  return reply;
};

/**
 * Prints a reply as every CLI path does: results on stdout; a failed command's message on
 * stderr, except with --json, where the JSON stays on stdout. Returns the exit code.
 */
export const printReply = (
  reply: RemoteReply,
  json: boolean,
  io: { out: (s: string) => void; err: (s: string) => void },
): number => {
  (reply.exitCode !== 0 && !json ? io.err : io.out)(
    `${json ? JSON.stringify(reply.data, null, 2) : reply.text}\n`,
  );
  return reply.exitCode;
};
