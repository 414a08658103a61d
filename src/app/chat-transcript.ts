/** One message as a channel shows it: its states (oldest first) and the replies in its thread. */
export interface TranscriptMessage {
  readonly where: string;
  /** Each state as simple parts: a title, paragraphs (`pre` for code), buttons. */
  readonly states: readonly TranscriptState[];
  readonly thread: readonly TranscriptState[];
}

export interface TranscriptState {
  readonly title: string;
  readonly paragraphs: readonly { readonly text: string; readonly pre: boolean }[];
  readonly buttons: readonly string[];
  readonly file?: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Slack mrkdwn (escaped by the renderer) back to plain text, and whether it was a code block. */
const fromMrkdwn = (t: string): { text: string; pre: boolean } => {
  const pre = t.startsWith('```');
  const plain = (pre ? t.replace(/^```\n?/, '').replace(/\n?```$/, '') : t)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return { text: pre ? plain : plain.replace(/\*([^*]+)\*/g, '$1'), pre };
};

interface SlackBlockLike {
  type?: string;
  text?: { text?: string };
  elements?: { text?: { text?: string } | string }[];
}

/** A Slack message state (text + blocks) as transcript parts. */
export const slackState = (text: string, blocks: unknown): TranscriptState => {
  const list = (Array.isArray(blocks) ? blocks : []) as SlackBlockLike[];
  const header = list.find((b) => b.type === 'header')?.text?.text;
  return {
    title: header ?? text,
    paragraphs: list.filter((b) => b.type === 'section').map((b) => fromMrkdwn(b.text?.text ?? '')),
    buttons: list
      .filter((b) => b.type === 'actions')
      .flatMap((b) =>
        (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))),
      ),
  };
};

interface DiscordEmbedLike {
  title?: string;
  description?: string;
}

/** A Discord message state (content, embeds, components) as transcript parts. */
export const discordState = (content: string, embeds: unknown, components: unknown): TranscriptState => {
  const e = ((Array.isArray(embeds) ? embeds : []) as DiscordEmbedLike[])[0];
  const rows = (Array.isArray(components) ? components : []) as { components?: { label?: string }[] }[];
  const description = e?.description ?? '';
  const pre = description.startsWith('```');
  return {
    title: e?.title ?? content,
    paragraphs: description
      ? [
          {
            text: pre
              ? description.replace(/^```\w*\n?/, '').replace(/\n?```$/, '')
              : description.replace(/\*\*/g, ''),
            pre,
          },
        ]
      : [],
    buttons: rows.flatMap((r) => (r.components ?? []).map((c) => c.label ?? '')),
  };
};

const stateHtml = (s: TranscriptState, cls: string): string =>
  [
    `<div class="${cls}">`,
    `<div class="title">${esc(s.title)}</div>`,
    ...s.paragraphs.map((p) =>
      p.pre ? `<pre>${esc(p.text)}</pre>` : `<p>${esc(p.text).replace(/\n/g, '<br>')}</p>`,
    ),
    s.file ? `<div class="file">📎 ${esc(s.file)}</div>` : '',
    s.buttons.length > 0
      ? `<div class="buttons">${s.buttons.map((b) => `<span class="btn">${esc(b)}</span>`).join('')}</div>`
      : '',
    '</div>',
  ].join('\n');

/** The HTML page: each channel message with its states (older ones faded) and its thread. */
export const transcriptHtml = (opts: {
  readonly title: string;
  readonly platform: 'slack' | 'discord';
  readonly sections: readonly { readonly heading: string; readonly messages: readonly TranscriptMessage[] }[];
}): string => {
  const body = opts.sections
    .map((sec) =>
      [
        `<section><h2>${esc(sec.heading)}</h2>`,
        ...sec.messages.map((m) =>
          [
            `<article><div class="where">${esc(m.where)}</div>`,
            m.states.length > 1
              ? `<details><summary>${m.states.length - 1} earlier state(s)</summary>${m.states
                  .slice(0, -1)
                  .map((s) => stateHtml(s, 'msg old'))
                  .join('\n')}</details>`
              : '',
            m.states.length > 0 ? stateHtml(m.states[m.states.length - 1]!, 'msg') : '',
            m.thread.length > 0
              ? `<div class="thread"><div class="where">thread · ${m.thread.length} repl${m.thread.length === 1 ? 'y' : 'ies'}</div>${m.thread.map((t) => stateHtml(t, 'msg reply')).join('\n')}</div>`
              : '',
            '</article>',
          ].join('\n'),
        ),
        '</section>',
      ].join('\n'),
    )
    .join('\n');
  const accent = opts.platform === 'slack' ? '#4a154b' : '#5865f2';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(opts.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:${opts.platform === 'slack' ? '#fff' : '#313338'};color:${opts.platform === 'slack' ? '#1d1c1d' : '#dbdee1'}}
header{background:${accent};color:#fff;padding:10px 16px;font-weight:600}
section{padding:8px 16px}h2{font-size:15px;margin:12px 0 6px}
article{border-left:3px solid ${accent};padding:4px 10px;margin:10px 0}
.where{font-size:12px;opacity:.65}.title{font-weight:700}
.msg{margin:4px 0}.old{opacity:.5}.reply{margin-left:14px;border-left:2px solid #8884;padding-left:8px}
pre{background:${opts.platform === 'slack' ? '#f8f8f8' : '#2b2d31'};padding:6px;border-radius:4px;white-space:pre-wrap;font-size:12px}
p{margin:2px 0}.btn{display:inline-block;border:1px solid #8888;border-radius:4px;padding:2px 10px;margin:4px 6px 0 0;font-size:13px}
.file{font-size:13px}
</style></head><body><header>${esc(opts.title)}</header>
${body}
</body></html>
`;
};
