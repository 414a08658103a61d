import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { readonly ok: true; readonly raw: string }
  | { readonly ok: false; readonly reason: 'too_large' | 'aborted' };

/**
 * Reads the exact raw body (signatures are computed over these bytes), refusing more than
 * `limit` bytes: a declared Content-Length over the limit is refused before reading.
 */
export const readLimitedBody = async (req: IncomingMessage, limit: number): Promise<BodyResult> => {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, reason: 'too_large' };
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buf.length;
      if (size > limit) return { ok: false, reason: 'too_large' };
      chunks.push(buf);
    }
  } catch {
    return { ok: false, reason: 'aborted' };
  }
  return { ok: true, raw: Buffer.concat(chunks).toString('utf8') };
};
