import { BUTTON_PREFIX } from '../../../bot/render/discord-buttons.js';
import { isDiscordSubcommand, type InteractionOption } from '../../../bot/render/discord-commands.js';

export interface Interaction {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly token?: unknown;
  readonly channel_id?: unknown;
  readonly data?: {
    readonly name?: string;
    readonly options?: readonly InteractionOption[];
    /** A button's id: `k3sc:<command line>`. */
    readonly custom_id?: string;
  };
  readonly member?: {
    readonly nick?: string | null;
    readonly roles?: readonly string[];
    readonly user?: User;
  };
  readonly user?: User;
  /** A click: the message whose button was clicked. */
  readonly message?: { readonly id?: unknown };
}
export interface User {
  readonly id: string;
  readonly username?: string;
  readonly global_name?: string | null;
  readonly bot?: boolean;
}

const EPHEMERAL = 64;
const privately = (content: string) => ({
  answer: { status: 200, body: { type: 4, data: { content, flags: EPHEMERAL } } },
});

export type Admission =
  | { readonly answer: { readonly status: number; readonly body: unknown } }
  | {
      /** The HTTP answer: a deferred update of the clicked message (6), or a deferred reply (5). */
      readonly ack: unknown;
      /** A subcommand the table knows, or a k3sc button (a public deferral). */
      readonly known: boolean;
      /** A click: the button's command line. */
      readonly button?: string;
    };

/**
 * Whether k3sc runs a signed application command or button click (type 2 or 3), and how it
 * acknowledges it: bots are ignored, other apps' buttons and channels outside `channels` get a
 * private note, anything else a 400.
 */
export const admitInteraction = (i: Interaction, channels: readonly string[]): Admission => {
  if ((i.member?.user ?? i.user)?.bot === true) return privately('k3sc does not answer bots.');
  if (i.type !== 2 && i.type !== 3)
    return { answer: { status: 400, body: { error: `interaction type ${String(i.type)} is not handled` } } };
  const customId = i.type === 3 ? (i.data?.custom_id ?? '') : undefined;
  if (customId !== undefined && !customId.startsWith(BUTTON_PREFIX))
    return privately('This button is not one of k3sc’s.');
  const channel = typeof i.channel_id === 'string' ? i.channel_id : undefined;
  if (channels.length > 0 && (channel === undefined || !channels.includes(channel)))
    return privately('k3sc does not answer in this channel.');
  if (customId !== undefined)
    return { ack: { type: 6 }, known: true, button: customId.slice(BUTTON_PREFIX.length) };
  const known = isDiscordSubcommand(i.data);
  return { ack: { type: 5, ...(known ? {} : { data: { flags: EPHEMERAL } }) }, known };
};
