/** Where the runner's lines go: `[k3sc] …` steps and agent output, each redacted. */
export interface RunnerLog {
  /** A step of the runner, printed as `[k3sc] <text>`. */
  step(text: string): void;
  /** A line printed as is (agent output, `[usage]`, `[result]`). */
  line(text: string): void;
}

export const makeRunnerLog = (write: (line: string) => void, redact: (s: string) => string): RunnerLog => {
  const emit = (text: string): void => {
    for (const l of redact(text).split('\n')) write(l);
  };
  return { step: (text) => emit(`[k3sc] ${text}`), line: emit };
};
