/** Narrow helpers for reading untyped JSON from agent CLIs without casts sprinkled about. */
export type Json = Record<string, unknown>;

export const asObject = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Parses a line that looks like a JSON object; undefined for anything else. */
export const parseJsonLine = (line: string): Json | undefined => {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  try {
    return asObject(JSON.parse(t));
  } catch {
    return undefined;
  }
};
