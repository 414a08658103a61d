import type { IssueRef, PlatformIdentity } from '../core/api/farm-api.js';
import type { Reply } from './reply.js';

/** One command as a transport received it: the text after `/k3sc`, who sent it, from where. */
export interface Inbound {
  readonly text: string;
  readonly who: PlatformIdentity;
  /** For the audit log: `console`, `slack:C123`, `discord:456`. */
  readonly where: string;
  /** Aborts when the transport stops (or the user goes away): the command stops with it. */
  readonly signal: AbortSignal;
  /** A button click (not typed): answers about the clicked message may replace it. */
  readonly fromButton?: boolean;
  /**
   * The front end has asked for confirmation itself and the user said yes (the web page's own
   * confirm step): a destructive command runs at once instead of answering with a chat card.
   */
  readonly confirmed?: boolean;
}

/** What the router sends back: a command's Reply (rendered by the transport), or plain text (help, usage errors). */
export type Outbound =
  | {
      readonly kind: 'reply';
      readonly reply: Reply;
      readonly json: boolean;
      readonly replace?: boolean;
      /** The router will replace this message later (`Responder.replaceLater`): a confirmation card. */
      readonly keep?: boolean;
    }
  | { readonly kind: 'text'; readonly text: string; readonly replace?: boolean };
// `replace`: the answer takes the place of the message whose button was clicked (a resolved
// confirmation card, the next page of a table): Slack `replace_original`, Discord update-message.

/** How a transport answers one inbound command: acknowledge at once, then stream and respond. */
export interface Responder {
  /** Called first, before any work (Slack wants an ack within 3 s, Discord "thinking…"). */
  acknowledge(): void | Promise<void>;
  /** One line of a streaming command (`logs -f`). */
  stream(line: string): void;
  /** The answer; called once for every inbound that was not blank. */
  respond(out: Outbound): void | Promise<void>;
  /**
   * After `respond()`: a way to replace the message that answer posted, later (a confirmation
   * card that expires loses its buttons). Undefined when the transport cannot (the console).
   */
  replaceLater?(): ((out: Outbound) => Promise<void>) | undefined;
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
  /** How k3sc posts on its own to this platform; absent for transports that only answer. */
  readonly outbox?: ChatOutbox;
}

/** Where an outbound message goes: a channel, optionally into the thread of a root message. */
export interface ChatTarget {
  readonly channel: string;
  /** The root message's id (Slack `ts`, Discord message id); the transport finds or opens its thread. */
  readonly thread?: string;
}

/** A message a transport posted, enough to edit it later (keep it durable: a `chat-message` record). */
export interface PostedMessage {
  readonly channel: string;
  /** Slack `ts`, Discord message id. */
  readonly id: string;
}

/**
 * What k3sc says without being asked (per-attempt threads, alerts, hand-offs, digests, log
 * follow): posts, edits and uploads on one platform. Implementations keep within the platform's
 * rate limits (one budget per workspace/guild) and honour 429 retry-after.
 */
export interface ChatOutbox {
  readonly platform: 'slack' | 'discord' | 'console';
  post(target: ChatTarget, reply: Reply, signal?: AbortSignal): Promise<PostedMessage>;
  edit(message: PostedMessage, reply: Reply, signal?: AbortSignal): Promise<void>;
  /**
   * A root message that carries `marker` (Slack message metadata, Discord nonce and embed
   * footer), so `findMarked` can tell later whether a post whose answer was lost went out.
   */
  postMarked?(target: ChatTarget, reply: Reply, marker: string, signal?: AbortSignal): Promise<PostedMessage>;
  /** The recent message in `channel` that carries `marker` (Slack conversations.history, Discord GET messages). */
  findMarked?(channel: string, marker: string, signal?: AbortSignal): Promise<PostedMessage | undefined>;
  /** Output too long for a message, as a file in the channel or thread. */
  upload(
    target: ChatTarget,
    file: { readonly name: string; readonly content: string; readonly title?: string },
    signal?: AbortSignal,
  ): Promise<void>;
}

/**
 * What chat commands (`follow`, `unfollow`, `take-review`) ask of the chat side: per-attempt
 * threads, log follows, the user → worker map. Absent when no platform has an outbox.
 */
export interface ChatServices {
  /** Streams the issue's log into its attempt thread on `platform`; returns what to tell the asker. */
  follow(platform: string, issue: IssueRef): Promise<string>;
  /** Stops that follow; false when none ran. */
  unfollow(platform: string, issue: IssueRef): boolean;
  /** The review worker of a chat user (`chat.workers`), by actor id (`slack:U123`). */
  workerFor(actorId: string): string | undefined;
  /** Workers to offer as buttons when a user has none configured. */
  workerChoices(): readonly string[];
  /** The pull request of an issue's newest attempt, as its thread knows it. */
  prOf(platform: string, issue: IssueRef): Promise<IssueRef | undefined>;
  /** After a take from chat: the issue's card says who reviews. */
  reviewTaken(issue: IssueRef, worker: string): Promise<void>;
}
