/**
 * Pure resume logic of the web page's event stream (`GET /events`). One stream carries several
 * channels: the dashboard (a sequence number) and the log of each watched attempt (the
 * number of its lines sent). Every event's id is the whole cursor after that event, so the `Last-Event-ID` a
 * browser sends on reconnect says exactly where every channel stopped: no line lost, none repeated.
 */
export interface StreamCursor {
  /** The dashboard version the client has (0: none yet). */
  readonly dash: number;
  /** Per watched attempt (in the order of the `watch` list): lines of its log already sent. */
  readonly logs: readonly number[];
}

const MAX_OFFSET = 2 ** 48;

/** `3.1024.0`: the dashboard sequence, then the lines sent of each watched log. */
export const formatCursor = (c: StreamCursor): string => [c.dash, ...c.logs].join('.');

/**
 * Reads a cursor back for a page watching `watchCount` logs; anything malformed, negative or of
 * the wrong length is `undefined` (the stream then starts from the page's own starting point).
 */
export const parseCursor = (text: string | undefined, watchCount: number): StreamCursor | undefined => {
  if (text === undefined || !/^\d{1,15}(\.\d{1,15})*$/.test(text.trim())) return undefined;
  const parts = text.trim().split('.').map(Number);
  if (parts.length !== watchCount + 1 || parts.some((n) => !Number.isSafeInteger(n) || n > MAX_OFFSET))
    return undefined;
  const [dash = 0, ...logs] = parts;
  return { dash, logs };
};

/**
 * Which lines of a log to send: those after the `sent` the client already has, of the `have`
 * the server has read so far. A cursor ahead of the server (it restarted and is still re-reading
 * the log) sends nothing until the server catches up — never a line twice.
 */
export const pendingLines = (have: number, sent: number): { from: number; to: number } =>
  sent >= have ? { from: have, to: have } : { from: Math.max(0, sent), to: have };

/** One SSE frame; multi-line data goes out as several `data:` lines (the browser joins them). */
export const sseFrame = (e: { id?: string; event?: string; data: string }): string => {
  const head = `${e.id === undefined ? '' : `id: ${e.id}\n`}${e.event === undefined ? '' : `event: ${e.event}\n`}`;
  return `${head}${e.data
    .split('\n')
    .map((l) => `data: ${l}`)
    .join('\n')}\n\n`;
};

/** A client whose unsent bytes pass the limit is cut off; it reconnects and resumes from its cursor. */
export const overBudget = (bufferedBytes: number, limitBytes: number): boolean => bufferedBytes > limitBytes;
