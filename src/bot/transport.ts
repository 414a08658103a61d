import type { PlatformIdentity } from '../core/api/farm-api.js';
import type { Reply } from './reply.js';

/** One command as a transport received it: the text after `/k3sc`, who sent it, from where. */
export interface Inbound {
  readonly text: string;
  readonly who: PlatformIdentity;
  /** For the audit log: `console`, `slack:C123`, `discord:456`. */
  readonly where: string;
  /** Aborts when the transport stops (or the user goes away): the command stops with it. */
  readonly signal: AbortSignal;
}

/** What the router sends back: a command's Reply (rendered by the transport), or plain text (help, usage errors). */
export type Outbound =
  | { readonly kind: 'reply'; readonly reply: Reply; readonly json: boolean }
  | { readonly kind: 'text'; readonly text: string };

/** How a transport answers one inbound command: acknowledge at once, then stream and respond. */
export interface Responder {
  /** Called first, before any work (Slack wants an ack within 3 s, Discord "thinking…"). */
  acknowledge(): void | Promise<void>;
  /** One line of a streaming command (`logs -f`). */
  stream(line: string): void;
  /** The answer; called once for every inbound that was not blank. */
  respond(out: Outbound): void | Promise<void>;
}

export interface CommandRouter {
  /** Parses, authorizes, runs and answers one command; never throws for a bad command. */
  handle(inbound: Inbound, responder: Responder): Promise<void>;
}

/**
 * A way commands arrive: the console now; Slack, Discord and the web later. `serve` starts the
 * configured transports from one list and stops them (in reverse order) on shutdown.
 */
export interface Transport {
  readonly name: string;
  /** Starts receiving; resolves once it listens. Stops by itself when `signal` aborts. */
  start(router: CommandRouter, signal: AbortSignal): Promise<void>;
  /** Stops receiving and waits for the commands in flight (their signals abort). */
  stop(): Promise<void>;
}
