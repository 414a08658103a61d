/**
 * Credentials recognisable by their value alone, whatever they are stored under. Each shape
 * is specific enough that ordinary text (words, paths, hashes, kebab-case names) does not
 * match: a fixed vendor prefix plus a long random-looking tail, usually with a digit in it.
 */
export interface TokenShape {
  /** What it is, for messages: "looks like a GitHub token". */
  readonly kind: string;
  /** Global pattern matching the whole credential inside a longer text. */
  readonly pattern: RegExp;
}

/** A run of token characters that contains at least one digit. */
const withDigit = (chars: string, min: number): string => `(?=${chars}*\\d)${chars}{${min},}`;

export const TOKEN_SHAPES: readonly TokenShape[] = [
  { kind: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g },
  { kind: 'a GitHub token', pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g },
  {
    kind: 'a Slack token',
    pattern: new RegExp(String.raw`\bxox[abpsre]-${withDigit('[A-Za-z0-9-]', 8)}`, 'g'),
  },
  { kind: 'a Slack app token', pattern: new RegExp(String.raw`\bxapp-${withDigit('[A-Za-z0-9-]', 8)}`, 'g') },
  { kind: 'an Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{16,}/g },
  {
    kind: 'an OpenAI API key',
    pattern: new RegExp(
      String.raw`\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?${withDigit('[A-Za-z0-9_-]', 32)}`,
      'g',
    ),
  },
  { kind: 'an AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: 'a private key',
    // The whole block when it is there; else the header and whatever base64 follows it
    // (also in JSON-escaped form, where line breaks are `\n`).
    pattern:
      /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)/g,
  },
  {
    kind: 'a Discord bot token',
    pattern: new RegExp(
      String.raw`\b[MNO]${withDigit('[A-Za-z0-9_-]', 23)}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}`,
      'g',
    ),
  },
];
