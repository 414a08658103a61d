import type { Interface } from 'node:readline';
import type { PlatformIdentity } from '../core/api/farm-api.js';
import { renderText } from './render/text.js';
import type { CommandRouter, Outbound, Responder, Transport } from './transport.js';

export interface ConsoleTransport extends Transport {
  /** Resolves when the input has closed (end of stdin, stop, or abort) and every typed line is answered. */
  readonly closed: Promise<void>;
}

const render = (out: Outbound): string =>
  out.kind === 'text'
    ? out.text
    : out.json
      ? JSON.stringify(out.reply.data, null, 2)
      : renderText(out.reply, { showActions: true });

/**
 * The console chat: the first transport. The same commands typed on stdin, answered on `write`;
 * a bad line prints an error and the prompt returns. Lines run one at a time, in order. The
 * person at the console is the machine's own user (`who.local`): admin.
 */
export const consoleTransport = (opts: {
  rl: Interface;
  write: (text: string) => void;
  who: PlatformIdentity;
  /** Printed when the transport starts. */
  greeting?: string;
}): ConsoleTransport => {
  const { rl, write } = opts;
  const abort = new AbortController();
  let chain = Promise.resolve();
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  rl.once('close', () => void chain.then(markClosed));
  const responder: Responder = {
    acknowledge: () => undefined,
    stream: (line) => write(`${line}\n`),
    respond: (out) => write(`${render(out)}\n`),
  };
  const start = (router: CommandRouter, signal: AbortSignal): Promise<void> => {
    const commandSignal = AbortSignal.any([signal, abort.signal]);
    rl.on('line', (text) => {
      chain = chain
        .then(() =>
          router.handle({ text, who: opts.who, where: 'console', signal: commandSignal }, responder),
        )
        .catch((err: unknown) => write(`error: ${err instanceof Error ? err.message : String(err)}\n`))
        .then(() => rl.prompt());
    });
    if (commandSignal.aborted) rl.close();
    else commandSignal.addEventListener('abort', () => rl.close(), { once: true });
    if (opts.greeting) write(`${opts.greeting}\n`);
    rl.prompt();
    return Promise.resolve();
  };
  return {
    name: 'console',
    closed,
    start,
    stop: async () => {
      abort.abort();
      rl.close();
      await closed;
    },
  };
};
