/** A message in a channel or thread of the fake (posted, then maybe edited). */
export interface DiscordFakeMessage {
  readonly id: string;
  readonly channel_id: string;
  content: string;
  embeds: unknown;
  components: unknown;
  edits: number;
  /** The `nonce` it was posted with. */
  readonly nonce?: string;
  /** Every state it had, the first post included. */
  readonly states: { readonly content: string; readonly embeds: unknown; readonly components: unknown }[];
  readonly attachments: { readonly filename: string; readonly content: string }[];
}

/** A thread started from a message: its id is the message's id, as on Discord. */
export interface DiscordFakeThread {
  readonly id: string;
  readonly parent_id: string;
  readonly name: string;
}

export interface DiscordFakeFile {
  readonly filename: string;
  readonly content: string;
}

type Answer = [number, unknown];

const CHANNEL_MESSAGES = /^\/api\/v10\/channels\/([^/]+)\/messages$/;
const ONE_MESSAGE = /^\/api\/v10\/channels\/([^/]+)\/messages\/([^/]+)$/;
const THREAD_FROM = /^\/api\/v10\/channels\/([^/]+)\/messages\/([^/]+)\/threads$/;

const field = (body: unknown, key: string): unknown =>
  body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
const text = (body: unknown, key: string, fallback = ''): string => {
  const v = field(body, key);
  return typeof v === 'string' ? v : fallback;
};

/** Channel messages, edits, threads from a message, and attachments, as Discord's REST API has them. */
export class DiscordFakeChannels {
  readonly messages: DiscordFakeMessage[] = [];
  readonly threads: DiscordFakeThread[] = [];

  constructor(private readonly snowflake: () => string) {}

  /** The channel a request counts against for rate limits (undefined: not a channel route). */
  static channelOf(path: string): string | undefined {
    return (CHANNEL_MESSAGES.exec(path) ?? ONE_MESSAGE.exec(path) ?? THREAD_FROM.exec(path))?.[1];
  }

  private known(channel: string): boolean {
    // Any channel id is a channel; a thread id must have been made by starting a thread.
    return !this.messages.some((m) => m.id === channel) || this.threads.some((t) => t.id === channel);
  }

  answer(method: string, path: string, body: unknown, files: readonly DiscordFakeFile[]): Answer | undefined {
    const thread = THREAD_FROM.exec(path);
    if (thread && method === 'POST') return this.startThread(thread[1] ?? '', thread[2] ?? '', body);
    const list = CHANNEL_MESSAGES.exec(path);
    if (list && method === 'POST') return this.post(list[1] ?? '', body, files);
    if (list && method === 'GET') {
      // Newest first, as Discord (the nonce is there too).
      const recent = this.messages.filter((m) => m.channel_id === list[1]).reverse();
      return [200, recent.slice(0, 100).map(({ states: _s, edits: _e, ...m }) => m)];
    }
    const one = ONE_MESSAGE.exec(path);
    if (one && method === 'PATCH') return this.edit(one[1] ?? '', one[2] ?? '', body);
    return undefined;
  }

  private startThread(channel: string, id: string, body: unknown): Answer {
    if (!this.messages.some((m) => m.id === id && m.channel_id === channel))
      return [404, { message: 'Unknown Message', code: 10008 }];
    if (this.threads.some((t) => t.id === id))
      return [400, { message: 'A thread has already been created for this message', code: 160004 }];
    const t: DiscordFakeThread = { id, parent_id: channel, name: text(body, 'name') };
    this.threads.push(t);
    return [201, { id, type: 11, parent_id: channel, name: t.name }];
  }

  private post(channel: string, body: unknown, files: readonly DiscordFakeFile[]): Answer {
    if (!this.known(channel)) return [404, { message: 'Unknown Channel', code: 10003 }];
    const m: DiscordFakeMessage = {
      id: this.snowflake(),
      channel_id: channel,
      content: text(body, 'content'),
      embeds: field(body, 'embeds') ?? [],
      components: field(body, 'components') ?? [],
      edits: 0,
      ...(typeof field(body, 'nonce') === 'string' ? { nonce: text(body, 'nonce') } : {}),
      states: [],
      attachments: files.map((f) => ({ ...f })),
    };
    m.states.push({ content: m.content, embeds: m.embeds, components: m.components });
    this.messages.push(m);
    const attachments = m.attachments.map((a, i) => ({ id: String(i), filename: a.filename }));
    return [200, { ...m, attachments }];
  }

  private edit(channel: string, id: string, body: unknown): Answer {
    const m = this.messages.find((x) => x.channel_id === channel && x.id === id);
    if (!m) return [404, { message: 'Unknown Message', code: 10008 }];
    m.content = text(body, 'content', m.content);
    m.embeds = field(body, 'embeds') ?? m.embeds;
    m.components = field(body, 'components') ?? m.components;
    m.edits += 1;
    m.states.push({ content: m.content, embeds: m.embeds, components: m.components });
    return [200, { id: m.id, channel_id: m.channel_id, content: m.content }];
  }
}
