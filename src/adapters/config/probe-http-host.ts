import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type LookupHost = (host: string) => Promise<unknown>;

/**
 * For `config check`: whether `http.host` resolves, so a name `serve` cannot listen on is
 * reported before `serve` fails. Undefined when it resolves, is an IP address, or the lookup
 * could not finish within `timeoutMs` (then `serve` will say what went wrong).
 */
export const probeHttpHost = async (
  host: string,
  opts: { lookup?: LookupHost; timeoutMs?: number } = {},
): Promise<string | undefined> => {
  if (isIP(host) !== 0) return undefined;
  const find = opts.lookup ?? ((h: string) => lookup(h));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs ?? 3_000);
  });
  try {
    await Promise.race([find(host), timeout]);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return `http.host: ${JSON.stringify(host)} does not resolve to an address (${code}); serve could not listen on it — use an IP address such as 127.0.0.1 or 0.0.0.0, or a name this machine resolves`;
  } finally {
    clearTimeout(timer);
  }
};
