import { z } from 'zod';
import type { RepoRef } from '../../core/model/refs.js';

/** The only parts of an `issues`, `pull_request` or `label` delivery k3sc reads. */
const payloadSchema = z.object({
  action: z.string().optional(),
  repository: z.object({
    name: z.string().min(1),
    owner: z.object({ login: z.string().min(1) }),
  }),
  number: z.number().int().positive().optional(),
  issue: z.object({ number: z.number().int().positive() }).optional(),
  pull_request: z.object({ number: z.number().int().positive() }).optional(),
});

export interface ParsedPayload {
  readonly action?: string;
  readonly repo: RepoRef;
  readonly number?: number;
}

export type ParseResult =
  { readonly ok: true; readonly value: ParsedPayload } | { readonly ok: false; readonly message: string };

/** Parses a verified raw body; the message says what is wrong with it. */
export const parseWebhookPayload = (raw: string): ParseResult => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    return { ok: false, message: `payload lacks required fields: ${where}` };
  }
  const p = parsed.data;
  const number = p.issue?.number ?? p.pull_request?.number ?? p.number;
  return {
    ok: true,
    value: {
      repo: { owner: p.repository.owner.login, name: p.repository.name },
      ...(p.action === undefined ? {} : { action: p.action }),
      ...(number === undefined ? {} : { number }),
    },
  };
};
