/**
 * The agent CLIs' own usage-limit messages, matched whole (a line must be the message, not
 * merely mention it). Sources: Claude Code's error results and `<synthetic>` notices, and
 * Codex's `UsageLimitReachedError` / `QuotaExceeded` texts (`codex-rs/core/src/error.rs`).
 */
const DOT = '\\s*[∙·•]\\s*';
const EXACT_MESSAGES: readonly RegExp[] = [
  // Claude Code 1.x: "Claude AI usage limit reached|1748782800" (epoch seconds of the reset).
  /^Claude AI usage limit reached\|\d{9,13}$/i,
  // Claude Code: "5-hour limit reached ∙ resets 3pm", "Weekly limit reached ∙ resets Oct 9, 10am".
  new RegExp(`^[\\w-]+(?: [\\w-]+)? limit reached${DOT}resets\\b.*$`, 'i'),
  // Claude Code 2.x: "You've hit your limit · resets 8pm (Europe/Berlin)", "… your weekly limit …".
  new RegExp(`^You['’]ve hit your (?:[\\w-]+ )?limit(?:${DOT}resets\\b.*)?$`, 'i'),
  new RegExp(`^You['’]re out of extra usage(?:${DOT}resets\\b.*)?$`, 'i'),
  // Codex: "You've hit your usage limit. Try again at 3:15 PM." (and the plan-specific variants);
  // its human output puts "ERROR: " in front.
  /^(?:ERROR: )?You['’]ve hit your usage limit\b.*$/i,
  /^(?:ERROR: )?Quota exceeded\. Check your plan and billing details\.?$/i,
];

/** The error code Codex's backend puts in a usage-limit error body, quoted in Codex error events. */
const ERROR_CODE = /"(?:type|code)"\s*:\s*"usage_limit_reached"/;

const isExactMessage = (line: string): boolean => {
  const t = line.trim();
  return EXACT_MESSAGES.some((re) => re.test(t));
};

/**
 * The first usage-limit message among `notices` (texts from the CLI's own error channels: any
 * of their lines may be the message, or they may carry the error code) or `plainLine` (a
 * plain output line, which must be the message as a whole).
 */
export const findLimitMessage = (notices: readonly string[], plainLine?: string): string | undefined => {
  for (const notice of notices) {
    const line = notice.split(/\r?\n/).find(isExactMessage);
    if (line !== undefined) return line.trim();
    if (ERROR_CODE.test(notice)) return notice;
  }
  return plainLine !== undefined && isExactMessage(plainLine) ? plainLine.trim() : undefined;
};
