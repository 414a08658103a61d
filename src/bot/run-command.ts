import { randomBytes } from 'node:crypto';
import { ZodError } from 'zod';
import type { AuditEntry, Logger } from '../core/api/farm-api.js';
import { K3scError } from '../core/errors.js';
import type { CommandSpec } from './command-spec.js';
import type { CommandContext } from './farm.js';
import { errorReply, type Reply } from './reply.js';
import { allows } from './roles.js';

export type { AuditEntry };

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** What a transport hands over; runCommand adds the command's child logger. */
export type CommandInput = Omit<CommandContext, 'log'>;

export interface RunEnv {
  readonly logger: Logger;
  readonly audit?: AuditLog;
  /** Where the command came from, for the audit log: `cli`, `console`, `slack:C123`. */
  readonly where: string;
  /** Correlation ids (default: 8 random hex digits). */
  readonly newId?: () => string;
}

export const correlationId = (): string => randomBytes(4).toString('hex');

export const zodMessage = (err: ZodError): string =>
  err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/**
 * The one path every command takes: check role → validate arguments → run → normalise errors,
 * with a child logger carrying a fresh correlation id, and one audit entry (who, where, what,
 * result). A user sees a clear message with a stable code, never a stack trace; the log keeps the cause.
 */
export const runCommand = async (
  spec: CommandSpec,
  rawArgs: Record<string, unknown>,
  input: CommandInput,
  env: RunEnv,
): Promise<Reply> => {
  const cid = (env.newId ?? correlationId)();
  const { actor } = input;
  const log = env.logger.child({ cid, command: spec.name, actor: actor.id, where: env.where });
  const audit = (result: string): void =>
    env.audit?.record({
      at: input.farm.api.now().toISOString(),
      cid,
      actor: actor.id,
      where: env.where,
      command: spec.name,
      args: rawArgs,
      result,
    });
  // Authorization first: someone without the role learns nothing about the arguments.
  if (!allows(actor.role, spec.role)) {
    audit('forbidden');
    log.info({ need: spec.role, have: actor.role }, 'command refused');
    return errorReply('forbidden', `${spec.name} needs the ${spec.role} role; you are ${actor.role}`);
  }
  const parsed = spec.schema.safeParse(rawArgs);
  if (!parsed.success) {
    audit('bad_input');
    return errorReply('bad_input', `${spec.name}: ${zodMessage(parsed.error)}`);
  }
  try {
    const reply = await spec.run({ ...input, log }, parsed.data);
    audit('ok');
    return reply;
  } catch (err) {
    if (err instanceof K3scError) {
      audit(err.code);
      // The user sees the message; the cause is for whoever reads the log at info level.
      log.info({ code: err.code, cause: err.cause }, err.message);
      return errorReply(err.code, err.message);
    }
    audit('internal');
    // The user gets a ref to quote — the command's correlation id, so the log lines and the
    // audit entry of this command are found by it; the log keeps the error and its stack.
    log.error({ err, ref: cid }, 'command failed');
    return errorReply(
      'internal',
      `${spec.name} failed: internal error (ref ${cid}); the details are in the k3sc log`,
    );
  }
};
