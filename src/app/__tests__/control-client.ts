import type { ControlInfo } from '../control-file.js';

export interface ControlRecord {
  readonly type: 'line' | 'reply';
  readonly line?: string;
  readonly text?: string;
  readonly data?: unknown;
  readonly exitCode?: number;
}

/** POSTs to `/api/command` and parses the NDJSON answer (status and records). */
export const postCommand = async (
  info: ControlInfo,
  body: unknown,
  token = info.token,
): Promise<{ status: number; type: string | null; records: ControlRecord[]; raw: string }> => {
  const res = await fetch(`${info.url}/api/command`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const raw = await res.text();
  const records =
    res.headers.get('content-type') === 'application/x-ndjson'
      ? raw
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as ControlRecord)
      : [];
  return { status: res.status, type: res.headers.get('content-type'), records, raw };
};

export const replyOf = (records: readonly ControlRecord[]): ControlRecord => {
  const last = records[records.length - 1];
  if (last?.type !== 'reply') throw new Error(`no reply record in ${JSON.stringify(records)}`);
  return last;
};
