import { randomBytes } from 'node:crypto';
import { ZodError } from 'zod';
import { K3scError } from '../core/errors.js';
import type { Logger } from '../core/ports/logger.js';
import type { CommandSpec } from './command-spec.js';
import type { CommandContext } from './farm.js';
import { errorReply, type Reply } from './reply.js';
import { allows } from './roles.js';

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly where: string;
  readonly command: string;
  readonly args: Record<string, unknown>;
  /** `ok`, or the error code the command ended with. */
  readonly result: string;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

export const zodMessage = (err: ZodError): string =>
  err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/**
 * The one path every command takes: validate arguments → check role → run → normalise errors.
 * A user sees a clear message with a stable code, never a stack trace; the log keeps the cause.
 */
export const runCommand = async (
  spec: CommandSpec,
  rawArgs: Record<string, unknown>,
  ctx: CommandContext,
  env: { logger: Logger; audit?: AuditLog; where: string },
): Promise<Reply> => {
  const audit = (result: string): void =>
    env.audit?.record({
      at: ctx.farm.deps.clock.now().toISOString(),
      actor: ctx.actor.id,
      where: env.where,
      command: spec.name,
      args: rawArgs,
      result,
    });
  const parsed = spec.schema.safeParse(rawArgs);
  if (!parsed.success) {
    audit('bad_input');
    return errorReply('bad_input', `${spec.name}: ${zodMessage(parsed.error)}`);
  }
  if (!allows(ctx.actor.role, spec.role)) {
    audit('forbidden');
    return errorReply('forbidden', `${spec.name} needs the ${spec.role} role; you are ${ctx.actor.role}`);
  }
  try {
    const reply = await spec.run(ctx, parsed.data);
    audit('ok');
    return reply;
  } catch (err) {
    if (err instanceof K3scError) {
      audit(err.code);
      // The user sees the message; the cause is for whoever reads the log at info level.
      env.logger.info({ command: spec.name, code: err.code, cause: err.cause }, err.message);
      return errorReply(err.code, err.message);
    }
    audit('internal');
    // The user gets a ref to quote; the log keeps the error (and its stack) under that ref.
    const ref = randomBytes(4).toString('hex');
    env.logger.error({ command: spec.name, err, ref }, 'command failed');
    return errorReply(
      'internal',
      `${spec.name} failed: internal error (ref ${ref}); the details are in the k3sc log`,
    );
  }
};
