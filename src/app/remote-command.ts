import { userInfo } from 'node:os';
import { K3scError } from '../core/errors.js';
import type { ControlInfo } from './control-file.js';

export interface RemoteReply {
  readonly text: string;
  readonly data: unknown;
  readonly exitCode: number;
}

/** A non-200 answer as an error with the server's own words (`{"error": "…"}`), not its raw body. */
const refusal = async (res: Response): Promise<K3scError> => {
  const text = await res.text().catch(() => '');
  let message = text.slice(0, 500);
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object' && 'error' in body && typeof body.error === 'string')
      message = body.error;
  } catch {
    // not JSON: keep the text
  }
  const code =
    res.status === 400 || res.status === 413 ? 'bad_input' : res.status === 404 ? 'not_found' : 'unavailable';
  return new K3scError(code, `k3sc serve refused the command (HTTP ${res.status}): ${message}`);
};

/** Runs a table command inside the running `serve` over its control endpoint (NDJSON). */
export const runRemoteCommand = async (
  info: ControlInfo,
  command: string,
  args: Record<string, unknown>,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<RemoteReply> => {
  let res: Response;
  try {
    res = await fetch(`${info.url}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command, args, user: userInfo().username }),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    throw new K3scError(
      'unavailable',
      `k3sc serve (pid ${info.pid}) did not answer at ${info.url}: ${(err as Error).message}`,
    );
  }
  if (!res.ok || !res.body) throw await refusal(res);
  let buffered = '';
  let reply: RemoteReply | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const rec = JSON.parse(buffered.slice(0, nl)) as { type: string; line?: string } & RemoteReply;
      buffered = buffered.slice(nl + 1);
      if (rec.type === 'line') onLine(rec.line ?? '');
      else reply = { text: rec.text, data: rec.data, exitCode: rec.exitCode };
      nl = buffered.indexOf('\n');
    }
  }
  if (!reply) throw new K3scError('unavailable', 'k3sc serve closed the connection before replying');
  return reply;
};
