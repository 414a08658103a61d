import { actorFor, type Logger, type RbacPolicy } from '../core/api/farm-api.js';
import type { CommandSpec } from './command-spec.js';
import { helpText } from './command-table.js';
import type { Farm } from './farm.js';
import { buildTableProgram, CommanderError, tokenize } from './program.js';
import { errorReply, type Reply } from './reply.js';
import { correlationId, runCommand, type AuditLog } from './run-command.js';
import type { CommandRouter, Inbound, Responder } from './transport.js';

export interface RouterOptions {
  readonly farm: Farm;
  readonly logger: Logger;
  readonly audit?: AuditLog;
  /** The normalised `rbac` section plus the role of identities it does not name. */
  readonly policy: RbacPolicy;
  readonly newId?: () => string;
}

/**
 * The router every transport shares: text → command table (the CLI's grammar; a leading
 * `/k3sc` is optional) → identity → role (through `rbac`) → runCommand → one answer.
 */
export const createCommandRouter = (opts: RouterOptions): CommandRouter => {
  const newId = opts.newId ?? correlationId;
  const run = (
    spec: CommandSpec,
    args: Record<string, unknown>,
    inbound: Inbound,
    r: Responder,
  ): Promise<Reply> => {
    const { who, where } = inbound;
    const actor = actorFor(opts.policy, who);
    if (!actor) {
      opts.audit?.record({
        at: opts.farm.api.now().toISOString(),
        cid: newId(),
        actor: `${who.platform}:${who.userId}`,
        where,
        command: spec.name,
        args,
        result: 'forbidden',
      });
      return Promise.resolve(
        errorReply(
          'forbidden',
          `${who.display} may not use k3sc: ask an admin to add your id ${who.userId} to rbac.viewers, rbac.operators or rbac.admins`,
        ),
      );
    }
    return runCommand(
      spec,
      args,
      { farm: opts.farm, actor, signal: inbound.signal, stream: (line) => r.stream(line) },
      { logger: opts.logger, where, newId, ...(opts.audit ? { audit: opts.audit } : {}) },
    );
  };
  return {
    handle: async (inbound, responder) => {
      const tokens = tokenize(inbound.text.replace(/^\s*\/?k3sc\b/, ''));
      if (tokens.length === 0) return;
      await responder.acknowledge();
      if (tokens[0] === 'help' || tokens[0] === '?') {
        await responder.respond({ kind: 'text', text: `commands:\n${helpText()}` });
        return;
      }
      // Commander's own output (usage errors, --help) is collected and sent as one text answer.
      const said: string[] = [];
      const program = buildTableProgram(
        'k3sc',
        async (spec, args) => {
          const reply = await run(spec, args, inbound, responder);
          await responder.respond({ kind: 'reply', reply, json: args.json === true });
        },
        (s) => void said.push(s),
      );
      try {
        await program.parseAsync(tokens, { from: 'user' });
      } catch (err) {
        if (!(err instanceof CommanderError))
          said.push(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        else if (err.code === 'commander.unknownCommand') said.push('type "help" for the list of commands\n');
      }
      if (said.length > 0) await responder.respond({ kind: 'text', text: said.join('').trimEnd() });
    },
  };
};
