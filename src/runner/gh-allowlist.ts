/**
 * Whether a `gh` invocation is allowed: its leading words must equal one allowlist entry
 * word for word (entry `pr view` allows `gh pr view 12 --json url`, not `gh pr merge`).
 * The installed shim applies the same rule (see guard-scripts.ts).
 */
export const isGhCommandAllowed = (args: readonly string[], allowed: readonly string[]): boolean =>
  allowed.some((entry) => {
    const words = entry
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    return words.length > 0 && words.every((w, i) => args[i] === w);
  });
