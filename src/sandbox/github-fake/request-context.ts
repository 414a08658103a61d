import type { IncomingMessage } from 'node:http';
import { ghError, type FakeResponse } from './http-types.js';

const MAX_BODY = 5 * 1024 * 1024;

/** Reads the whole body; rejects bodies over 5 MiB. */
export const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Parses a JSON body; an empty body is `undefined`. */
export const parseJsonBody = (
  raw: string,
): { ok: true; value: unknown } | { ok: false; error: FakeResponse } => {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, error: ghError(400, 'Problems parsing JSON') };
  }
};

/**
 * Resolves the acting login. Installation tokens minted by the fake act as their app's bot. With
 * a tokens map, the request must carry `token X` or `Bearer X` for a known X; without one,
 * everybody else acts as `k3sc-bot`.
 */
export const resolveActor = (
  authorization: string | undefined,
  tokens: Readonly<Record<string, string>> | undefined,
  minted: (token: string) => string | undefined,
): { ok: true; actor: string } | { ok: false; error: FakeResponse } => {
  const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  const mintedLogin = token === undefined ? undefined : minted(token);
  if (mintedLogin !== undefined) return { ok: true, actor: mintedLogin };
  if (!tokens) return { ok: true, actor: 'k3sc-bot' };
  if (token === undefined) return { ok: false, error: ghError(401, 'Requires authentication') };
  const login = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  return login === undefined
    ? { ok: false, error: ghError(401, 'Bad credentials') }
    : { ok: true, actor: login };
};

/** True when an `If-None-Match` header lists `etag` (weak comparison, `*` matches). */
export const etagMatches = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (!ifNoneMatch) return false;
  const strip = (t: string): string => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
};
