import type { Block, Reply } from '../reply.js';
import { renderText } from './text.js';

/** Slack's limits for one message (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionChars: 3000,
  /** Slack truncates a message past about 12,000 characters of text: pages stay under it. */
  messageChars: 12_000,
  headerChars: 150,
  buttonLabel: 75,
  buttonsPerActions: 25,
} as const;

export type SlackBlock =
  | { readonly type: 'header'; readonly text: { readonly type: 'plain_text'; readonly text: string } }
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | {
      readonly type: 'context';
      readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
    }
  | {
      readonly type: 'actions';
      readonly elements: readonly {
        readonly type: 'button';
        readonly action_id: string;
        readonly value: string;
        readonly text: { readonly type: 'plain_text'; readonly text: string };
      }[];
    };

/** One Slack message: `text` is the notification fallback, `blocks` what people see. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack's mrkdwn needs only these three escaped. */
export const escapeMrkdwn = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Splits text at line ends into pieces of at most `max` characters (a longer line is split too). */
export const chunkLines = (text: string, max: number): string[] => {
  const out: string[] = [];
  let cur = '';
  const flush = (): void => {
    if (cur !== '') out.push(cur);
    cur = '';
  };
  for (const raw of text.split('\n')) {
    let line = raw;
    while (line.length > max) {
      flush();
      out.push(line.slice(0, max));
      line = line.slice(max);
    }
    if (cur === '') cur = line;
    else if (cur.length + 1 + line.length <= max) cur = `${cur}\n${line}`;
    else {
      flush();
      cur = line;
    }
  }
  flush();
  return out.length > 0 ? out : [''];
};

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Sections of escaped mrkdwn, each within the section limit. */
const sections = (text: string): SlackBlock[] =>
  chunkLines(escapeMrkdwn(text), SLACK_LIMITS.sectionChars).map(section);

const FENCE = '```';
/** Preformatted text (tables, help, JSON) as code-block sections, each within the section limit. */
export const codeSections = (text: string): SlackBlock[] =>
  chunkLines(escapeMrkdwn(text), SLACK_LIMITS.sectionChars - 2 * FENCE.length - 2).map((c) =>
    section(`${FENCE}\n${c}\n${FENCE}`),
  );

const toSlack = (b: Block): SlackBlock[] => {
  switch (b.type) {
    case 'text':
      return sections(b.text);
    case 'fields':
      return chunkLines(
        b.fields.map(([k, v]) => `*${escapeMrkdwn(k)}:* ${escapeMrkdwn(v)}`).join('\n'),
        SLACK_LIMITS.sectionChars,
      ).map(section);
    case 'table': {
      const head = b.title === undefined ? [] : [section(`*${escapeMrkdwn(b.title)}*`)];
      const { title: _title, ...untitled } = b;
      const body = renderText({ title: '', blocks: [untitled], data: null }, { maxCell: 60 });
      return [...head, ...codeSections(body)];
    }
    case 'actions': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < b.buttons.length; i += SLACK_LIMITS.buttonsPerActions)
        out.push({
          type: 'actions',
          elements: b.buttons.slice(i, i + SLACK_LIMITS.buttonsPerActions).map((x) => ({
            type: 'button',
            action_id: `k3sc:${x.id}`,
            value: x.command,
            text: { type: 'plain_text', text: clip(x.label, SLACK_LIMITS.buttonLabel) },
          })),
        });
      return out;
    }
  }
};

const size = (b: SlackBlock): number => {
  switch (b.type) {
    case 'header':
    case 'section':
      return b.text.text.length;
    case 'context':
      return b.elements.reduce((n, e) => n + e.text.length, 0);
    case 'actions':
      return b.elements.reduce((n, e) => n + e.text.text.length, 0);
  }
};

/** Room kept on every page for its header and the "page i of n" line. */
const RESERVED_BLOCKS = 2;
const RESERVED_CHARS = SLACK_LIMITS.headerChars + 64;

/**
 * Splits blocks into pages within Slack's limits; each page gets the title as its header, and
 * "page i of n" when there is more than one, so nothing is ever cut silently.
 */
export const paginate = (title: string, body: readonly SlackBlock[]): SlackMessage[] => {
  const pages: SlackBlock[][] = [];
  let cur: SlackBlock[] = [];
  let chars = 0;
  for (const b of body) {
    const n = size(b);
    const full =
      cur.length + 1 > SLACK_LIMITS.blocks - RESERVED_BLOCKS ||
      chars + n > SLACK_LIMITS.messageChars - RESERVED_CHARS;
    if (full && cur.length > 0) {
      pages.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(b);
    chars += n;
  }
  if (cur.length > 0 || pages.length === 0) pages.push(cur);
  const header = clip(title, SLACK_LIMITS.headerChars);
  return pages.map((blocks, i) => {
    const more = pages.length > 1 ? ` (page ${i + 1} of ${pages.length})` : '';
    const top: SlackBlock[] =
      title === '' ? [] : [{ type: 'header', text: { type: 'plain_text', text: header } }];
    const foot: SlackBlock[] =
      pages.length > 1
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `page ${i + 1} of ${pages.length}` }] }]
        : [];
    return {
      text: clip(`${title || 'k3sc'}${more}`, SLACK_LIMITS.headerChars),
      blocks: [...top, ...blocks, ...foot],
    };
  });
};

/** A Reply as one or more Block Kit messages (pages), each within Slack's limits. */
export const renderSlackMessages = (reply: Reply): SlackMessage[] =>
  paginate(reply.title, reply.blocks.flatMap(toSlack));

/** Preformatted text (help, usage errors, `--json`) as Block Kit pages. */
export const renderSlackPreformatted = (title: string, text: string): SlackMessage[] =>
  paginate(title, codeSections(text));
