import { GITHUB_CLOSING_WORDS } from '../core/domain/closing-words.js';

export { GITHUB_CLOSING_WORDS };

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Source of a case-insensitive pattern matching "<word> #N", "<word>: owner/repo#N" or
 * "<word> https://…/issues/N" — the forms GitHub turns into an auto-close. Undefined when
 * there are no words. Shared by the unit tests and the installed commit-msg hook.
 */
export const autoClosePatternSource = (words: readonly string[]): string | undefined => {
  const clean = words.map((w) => w.trim()).filter((w) => w.length > 0);
  if (clean.length === 0) return undefined;
  const alternatives = clean.map(escapeRegExp).join('|');
  const target = String.raw`(?:(?:[\w.-]+/[\w.-]+)?#\d+|https?://\S+/(?:issues|pull)/\d+)`;
  return String.raw`(?<![\w-])(?:${alternatives})\s*:?\s*${target}`;
};

/** The first auto-close phrase in a commit message, or undefined when it is safe. */
export const findAutoClosePhrase = (message: string, words: readonly string[]): string | undefined => {
  const source = autoClosePatternSource(words);
  if (source === undefined) return undefined;
  // Comment lines are checked too: with `git commit -m` they are kept in the message.
  return new RegExp(source, 'i').exec(message)?.[0];
};
