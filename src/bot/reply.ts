import { exitCodeOf } from '../core/errors.js';
/** Platform-neutral output of a command. Renderers turn it into text, Block Kit, embeds. */
export type Block =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'fields'; readonly fields: readonly (readonly [string, string])[] }
  | {
      readonly type: 'table';
      readonly title?: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
      readonly empty?: string;
    }
  | {
      readonly type: 'actions';
      readonly buttons: readonly { readonly id: string; readonly label: string; readonly command: string }[];
    };

export interface Reply {
  readonly title: string;
  readonly blocks: readonly Block[];
  /** What `--json` prints: plain data, stable keys. */
  readonly data: unknown;
  /** Non-zero when the command failed (CLI exit code). */
  readonly exitCode?: number;
}

export const textReply = (title: string, text: string, data: unknown = { message: text }): Reply => ({
  title,
  blocks: [{ type: 'text', text }],
  data,
});

export const errorReply = (code: string, message: string): Reply => ({
  title: 'error',
  blocks: [{ type: 'text', text: `error: ${message}` }],
  data: { error: { code, message } },
  exitCode: exitCodeOf(code),
});
