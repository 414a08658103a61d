import { userInfo } from 'node:os';
import { K3scError } from '../core/errors.js';
import type { ControlInfo } from './control-file.js';

export interface RemoteReply {
  readonly text: string;
  readonly data: unknown;
  readonly exitCode: number;
}

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
  if (!res.ok || !res.body)
    throw new K3scError('unavailable', `k3sc serve answered ${res.status}: ${await res.text()}`);
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
