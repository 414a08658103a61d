export interface CommandValues {
  readonly prompt: string;
  readonly promptFile: string;
  readonly issue: number;
  /** `owner/name`. */
  readonly repo: string;
  readonly model?: string;
}

const PLACEHOLDER = /\{(prompt|promptFile|model|issue|repo)\}/g;

/**
 * Substitutes placeholders in an argv template in one pass (a prompt that itself contains
 * `{issue}` is left alone). Without a model, an element that uses `{model}` is dropped, and so
 * is the flag right before a bare `{model}` (`--model {model}` disappears as a pair).
 */
export const buildAgentArgv = (template: readonly string[], values: CommandValues): string[] => {
  const out: string[] = [];
  for (const element of template) {
    if (values.model === undefined && element.includes('{model}')) {
      const previous = out[out.length - 1];
      if (element === '{model}' && previous?.startsWith('-') === true) out.pop();
      continue;
    }
    out.push(
      element.replace(PLACEHOLDER, (_m, key: string) => {
        switch (key) {
          case 'prompt':
            return values.prompt;
          case 'promptFile':
            return values.promptFile;
          case 'issue':
            return String(values.issue);
          case 'repo':
            return values.repo;
          default:
            return values.model ?? '';
        }
      }),
    );
  }
  return out;
};
