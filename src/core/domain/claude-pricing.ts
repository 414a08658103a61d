/**
 * USD per million tokens by Claude model, for transcripts that carry no cost of their own.
 * Anthropic's list prices; the most specific match wins (`opus-4-5` before `opus`). A model
 * not listed costs 0 and is reported as unpriced, never guessed.
 */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheRead: number;
}

const PRICES: readonly (readonly [RegExp, ModelPrice])[] = [
  [/opus-4-[5-9]/, { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 }],
  [/opus/, { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 }],
  [/sonnet/, { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }],
  [/haiku-4/, { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 }],
  [/haiku/, { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 }],
];

export const priceOf = (model: string): ModelPrice | undefined =>
  PRICES.find(([pattern]) => pattern.test(model.toLowerCase()))?.[1];

export interface TokenCounts {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheWriteTokens: number;
  readonly cacheReadTokens: number;
}

/** The cost of one message's tokens; undefined when the model has no known price. */
export const tokenCost = (model: string, t: TokenCounts): number | undefined => {
  const p = priceOf(model);
  if (!p) return undefined;
  return (
    (t.inputTokens * p.input +
      t.outputTokens * p.output +
      t.cacheWriteTokens * p.cacheWrite +
      t.cacheReadTokens * p.cacheRead) /
    1_000_000
  );
};
