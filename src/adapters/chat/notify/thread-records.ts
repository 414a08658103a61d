import { z } from 'zod';
import { attemptName } from '../../../core/domain/attempt-name.js';
import { isK3scError } from '../../../core/errors.js';
import type { IssueRef } from '../../../core/model/refs.js';
import type { JsonValue, StoredRecord } from '../../../core/model/stored-record.js';
import type { StateStore } from '../../../core/ports/state-store.js';
import { CARD_STATES, type AttemptCard } from '../../../bot/render/attempt-card.js';
import type { PostedMessage } from '../../../bot/transport.js';

/** One attempt's root message on one platform: where it is and what it last showed. */
export interface ThreadRecord {
  readonly platform: string;
  readonly message: PostedMessage;
  readonly card: AttemptCard;
  /** The review hand-off went out (once per attempt). */
  readonly handedOff?: boolean;
}

const cardSchema = z.object({
  issue: z.string(),
  title: z.string().optional(),
  attempt: z.string(),
  slot: z.string().optional(),
  state: z.enum(CARD_STATES),
  pr: z.object({ number: z.number(), url: z.string().optional() }).optional(),
  reviewer: z.string().optional(),
  note: z.string().optional(),
  history: z.array(z.object({ state: z.enum(CARD_STATES), at: z.string() })),
});
const recordSchema = z.object({
  platform: z.string(),
  message: z.object({ channel: z.string(), id: z.string() }),
  card: cardSchema,
  handedOff: z.boolean().optional(),
});

/** `slack.acme-web-12-1`: the attempt name is already a valid record name. */
export const threadRecordName = (platform: string, attempt: string): string => `${platform}.${attempt}`;

/** Every attempt of one issue shares this prefix (`acme-web-12-`). */
const issuePrefix = (platform: string, ref: IssueRef): string =>
  `${platform}.${attemptName(ref.repo, ref.number, 0).slice(0, -1)}`;

const parse = (r: StoredRecord | undefined): ThreadRecord | undefined => {
  if (!r) return undefined;
  const ok = recordSchema.safeParse(r.data);
  return ok.success ? (ok.data as ThreadRecord) : undefined;
};

/** The attempt → root message map, durable in the state store (kind `chat-message`). */
export class ThreadRecords {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => Date,
  ) {}

  async get(platform: string, attempt: string): Promise<ThreadRecord | undefined> {
    return parse(await this.store.getRecord('chat-message', threadRecordName(platform, attempt)));
  }

  /** The newest attempt thread of an issue on a platform. */
  async latest(platform: string, ref: IssueRef): Promise<ThreadRecord | undefined> {
    const all = await this.store.listRecords('chat-message', { prefix: issuePrefix(platform, ref) });
    const seq = (r: StoredRecord): number => Number(r.name.slice(r.name.lastIndexOf('-') + 1));
    const newest = all.sort((a, b) => seq(a) - seq(b)).at(-1);
    return parse(newest);
  }

  /** Creates the record (the lock: false when it already exists). */
  async create(rec: ThreadRecord): Promise<boolean> {
    const at = this.now().toISOString();
    try {
      await this.store.createRecord({
        kind: 'chat-message',
        name: threadRecordName(rec.platform, rec.card.attempt),
        createdAt: at,
        updatedAt: at,
        data: rec as unknown as JsonValue,
      });
      return true;
    } catch (err) {
      if (isK3scError(err, 'conflict')) return false;
      throw err;
    }
  }

  async put(rec: ThreadRecord): Promise<void> {
    const at = this.now().toISOString();
    await this.store.updateRecord(
      'chat-message',
      threadRecordName(rec.platform, rec.card.attempt),
      (cur) => ({
        kind: 'chat-message',
        name: threadRecordName(rec.platform, rec.card.attempt),
        createdAt: cur?.createdAt ?? at,
        updatedAt: at,
        data: rec as unknown as JsonValue,
      }),
    );
  }

  /**
   * Before a root is posted: the intent (`intent.<platform>.<attempt>`, with the marker the post
   * carries). Created first and removed once the thread record exists, so a crash in between
   * leaves the intent, and the next serve looks the marked message up before posting again.
   */
  async intent(platform: string, attempt: string): Promise<string | undefined> {
    const r = await this.store.getRecord('chat-message', intentName(platform, attempt));
    const ok = z.object({ marker: z.string() }).safeParse(r?.data);
    return ok.success ? ok.data.marker : undefined;
  }

  async createIntent(platform: string, attempt: string, marker: string): Promise<void> {
    const at = this.now().toISOString();
    const name = intentName(platform, attempt);
    await this.store.updateRecord('chat-message', name, (cur) => ({
      kind: 'chat-message',
      name,
      createdAt: cur?.createdAt ?? at,
      updatedAt: at,
      data: { marker },
    }));
  }

  async dropIntent(platform: string, attempt: string): Promise<void> {
    await this.store.deleteRecord('chat-message', intentName(platform, attempt));
  }
}

const intentName = (platform: string, attempt: string): string => `intent.${platform}.${attempt}`;
