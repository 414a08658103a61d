export interface CommandValues {
  readonly prompt: string;
  readonly promptFile: string;
  readonly issue: number;
  /** `owner/name`. */
  readonly repo: string;
  readonly model?: string;
  /** Limits a saved config sets (`launch`): `{maxTurns}`, `{budgetUsd}` in the template. */
  readonly maxTurns?: number;
  readonly budgetUsd?: number;
}

const PLACEHOLDER = /\{(prompt|promptFile|model|issue|repo|maxTurns|budgetUsd)\}/g;
const OPTIONAL = ['model', 'maxTurns', 'budgetUsd'] as const;

const valueOf = (values: CommandValues, key: string): string => {
  switch (key) {
    case 'prompt':
      return values.prompt;
    case 'promptFile':
      return values.promptFile;
    case 'issue':
      return String(values.issue);
    case 'repo':
      return values.repo;
    case 'maxTurns':
      return String(values.maxTurns ?? '');
    case 'budgetUsd':
      return String(values.budgetUsd ?? '');
    default:
      return values.model ?? '';
  }
};

/**
 * Substitutes placeholders in an argv template in one pass (a prompt that itself contains
 * `{issue}` is left alone). Without a model (or limit), an element that uses `{model}` is dropped,
 * and so is the flag right before a bare `{model}` (`--model {model}` disappears as a pair); the
 * same for `{maxTurns}` and `{budgetUsd}`.
 */
export const buildAgentArgv = (template: readonly string[], values: CommandValues): string[] => {
  const out: string[] = [];
  for (const element of template) {
    const missing = OPTIONAL.find((k) => values[k] === undefined && element.includes(`{${k}}`));
    if (missing !== undefined) {
      const previous = out[out.length - 1];
      if (element === `{${missing}}` && previous?.startsWith('-') === true) out.pop();
      continue;
    }
    out.push(element.replace(PLACEHOLDER, (_m, key: string) => valueOf(values, key)));
  }
  return out;
};
