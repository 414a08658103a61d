import type { Block, Reply } from '../reply.js';
import { discordButtons, type DiscordActionRow } from './discord-buttons.js';

/** Discord's documented message limits (the renderer never exceeds them, and never cuts silently). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedsTotal: 6000,
  embedsPerMessage: 10,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  buttonLabel: 80,
} as const;

export interface DiscordEmbed {
  readonly title: string;
  readonly description: string;
  readonly color: number;
  readonly footer?: { readonly text: string };
}

export interface DiscordMessage {
  readonly content?: string;
  readonly embeds?: readonly DiscordEmbed[];
  readonly components?: readonly DiscordActionRow[];
  /** 64: only the caller sees it (follow-ups; the deferred original decides for itself). */
  readonly flags?: number;
  /** Never ping anyone from rendered text. */
  readonly allowed_mentions: { readonly parse: readonly never[] };
}

export interface DiscordRenderOptions {
  /** More pages than this: the last one says how much is not shown (default 10). */
  readonly maxMessages?: number;
  readonly ephemeral?: boolean;
  /** Characters per page description (default and maximum 4000). */
  readonly pageChars?: number;
}

const OK_COLOR = 0x2b8a3e;
const ERROR_COLOR = 0xc92a2a;
const FENCE = '```';
/** A fence inside a cell would end the code block early. */
const defence = (s: string): string => s.replaceAll(FENCE, '`\u200b`\u200b`');

/** Splits text into pieces of at most `max` characters, at line ends where possible. */
export const splitText = (text: string, max: number): string[] => {
  const out: string[] = [];
  let cur = '';
  const push = (): void => {
    if (cur !== '') out.push(cur);
    cur = '';
  };
  for (const line of text.split('\n')) {
    for (let rest = line; ;) {
      const room = max - (cur === '' ? 0 : cur.length + 1);
      if (rest.length <= room) {
        cur = cur === '' ? rest : `${cur}\n${rest}`;
        break;
      }
      if (cur !== '') {
        push();
        continue;
      }
      out.push(rest.slice(0, max));
      rest = rest.slice(max);
      if (rest === '') break;
    }
  }
  push();
  return out.length > 0 ? out : [''];
};

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const cell = (s: string): string => {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= 60 ? one : `${one.slice(0, 59)}…`;
};

/** A table as code blocks of at most `max` characters each, the header repeated on every one. */
const tableSections = (b: Extract<Block, { type: 'table' }>, max: number): string[] => {
  const head = b.title ? `**${b.title}**\n` : '';
  if (b.rows.length === 0) return [`${head}${b.empty ?? '(none)'}`];
  const rows = b.rows.map((r) => r.map(cell));
  const widths = b.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    defence(
      cells
        .map((c, i) => pad(c, widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  const header = line(b.columns.map((c) => c.toUpperCase()));
  const wrap = (lines: readonly string[]): string =>
    `${head}${FENCE}\n${[header, ...lines].join('\n')}\n${FENCE}`;
  const overhead = wrap([]).length + 1;
  const budget = Math.max(1, max - overhead);
  const out: string[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const r of rows) {
    // A row wider than a page is split over lines of its own (rare: 60-character cells).
    for (const piece of splitText(line(r), budget)) {
      if (chunk.length > 0 && size + piece.length + 1 > budget) {
        out.push(wrap(chunk));
        chunk = [];
        size = 0;
      }
      chunk.push(piece);
      size += piece.length + 1;
    }
  }
  if (chunk.length > 0) out.push(wrap(chunk));
  return out;
};

const blockSections = (b: Block, max: number): string[] => {
  switch (b.type) {
    case 'text':
      return splitText(b.text, max);
    case 'fields':
      return splitText(b.fields.map(([k, v]) => `**${k}:** ${v}`).join('\n'), max);
    case 'table':
      return tableSections(b, max);
    case 'actions':
      return [];
  }
};

/** Packs sections (each ≤ max) into page descriptions of at most `max` characters. */
const packPages = (sections: readonly string[], max: number): string[] => {
  const pages: string[] = [];
  let cur = '';
  for (const s of sections) {
    if (cur !== '' && cur.length + 2 + s.length > max) {
      pages.push(cur);
      cur = '';
    }
    cur = cur === '' ? s : `${cur}\n\n${s}`;
  }
  if (cur !== '' || pages.length === 0) pages.push(cur === '' ? '(nothing to show)' : cur);
  return pages;
};

const titleOf = (title: string, page: number, pages: number): string => {
  const suffix = pages > 1 ? ` (${page}/${pages})` : '';
  const room = DISCORD_LIMITS.embedTitle - suffix.length;
  return `${title.length <= room ? title : `${title.slice(0, room - 1)}…`}${suffix}`;
};

/**
 * A Reply as Discord messages: one embed per page (title, description ≤ 4,000 characters, so
 * every message stays inside the 6,000-character embed total), tables split by rows with their
 * header repeated, buttons (≤ 5 per row, ≤ 5 rows) on the last page. Past `maxMessages` pages
 * the last message says how many pages are not shown; nothing is dropped without a word.
 */
export const renderDiscordReply = (reply: Reply, opts: DiscordRenderOptions = {}): DiscordMessage[] => {
  const max = Math.min(opts.pageChars ?? 4000, 4000);
  const maxMessages = Math.max(1, opts.maxMessages ?? 10);
  const failed = (reply.exitCode ?? 0) !== 0;
  const buttons = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
  const { rows, overflow } = discordButtons(buttons);
  const sections = reply.blocks.flatMap((b) => blockSections(b, max));
  if (overflow.length > 0) sections.push(...splitText(`more actions:\n${overflow.join('\n')}`, max));
  let pages = packPages(sections, max);
  if (pages.length > maxMessages) {
    const hidden = pages.length - (maxMessages - 1);
    pages = [
      ...pages.slice(0, maxMessages - 1),
      `${hidden} more page(s) are not shown here (${pages.length} in all); run the same command from the k3sc CLI, or with --json there, for the whole output.`,
    ];
  }
  return pages.map((description, i) => ({
    embeds: [
      {
        title: titleOf(reply.title, i + 1, pages.length),
        description,
        color: failed ? ERROR_COLOR : OK_COLOR,
      },
    ],
    ...(i === pages.length - 1 && rows.length > 0 ? { components: rows } : {}),
    ...(opts.ephemeral ? { flags: 64 } : {}),
    allowed_mentions: { parse: [] },
  }));
};

/** Plain text (help, usage errors, `--json`) as code-block messages of ≤ 2,000 characters. */
export const renderDiscordText = (text: string, opts: DiscordRenderOptions = {}): DiscordMessage[] => {
  const wrapped = (s: string): string => `${FENCE}\n${defence(s)}\n${FENCE}`;
  const budget = DISCORD_LIMITS.content - wrapped('').length - 8;
  const pieces = splitText(text, budget);
  const maxMessages = Math.max(1, opts.maxMessages ?? 10);
  const shown =
    pieces.length <= maxMessages
      ? pieces
      : [
          ...pieces.slice(0, maxMessages - 1),
          `${pieces.length - maxMessages + 1} more message(s) not shown; run it from the k3sc CLI for the whole output.`,
        ];
  return shown.map((p) => ({
    content: wrapped(p),
    ...(opts.ephemeral ? { flags: 64 } : {}),
    allowed_mentions: { parse: [] },
  }));
};
