import { actorFor, type Logger, type RbacPolicy } from '../core/api/farm-api.js';
import type { CommandSpec } from './command-spec.js';
import { helpText } from './command-table.js';
import { ConfirmationGate, needsConfirmation } from './confirm.js';
import { resolveConfirmation, watchCardExpiry } from './confirm-flow.js';
import type { Farm } from './farm.js';
import { buildTableProgram, CommanderError, tokenize } from './program.js';
import { errorReply, type Reply } from './reply.js';
import { allows } from './roles.js';
import { correlationId, runCommand, type AuditLog, type RunEnv } from './run-command.js';
import type { CommandRouter, Inbound, Outbound, Responder } from './transport.js';

export interface RouterOptions {
  readonly farm: Farm;
  readonly logger: Logger;
  readonly audit?: AuditLog;
  /** The normalised `rbac` section plus the role of identities it does not name. */
  readonly policy: RbacPolicy;
  readonly newId?: () => string;
  /** Confirmation cards of destructive chat commands (default: 5 minutes on the farm's clock). */
  readonly confirmations?: ConfirmationGate;
}

const cardToken = (reply: Reply): string | undefined => {
  const c = (reply.data as { confirmation?: { token?: unknown } } | undefined)?.confirmation;
  return typeof c?.token === 'string' ? c.token : undefined;
};

/**
 * The router every transport shares: text → command table (the CLI's grammar; a leading
 * `/k3sc` is optional) → identity → role (through `rbac`) → runCommand → one answer. From chat,
 * kill / reset / scale N / pause first answer with a confirmation card (see `confirm.ts`).
 */
export const createCommandRouter = (opts: RouterOptions): CommandRouter => {
  const newId = opts.newId ?? correlationId;
  const gate = opts.confirmations ?? new ConfirmationGate({ now: () => opts.farm.api.now() });
  const envFor = (where: string): RunEnv => ({
    logger: opts.logger,
    where,
    newId,
    ...(opts.audit ? { audit: opts.audit } : {}),
  });
  const run = (
    spec: CommandSpec,
    args: Record<string, unknown>,
    inbound: Inbound,
    r: Responder,
  ): Promise<Reply> => {
    const { who, where } = inbound;
    const actor = actorFor(opts.policy, who);
    const record = (result: string): void =>
      opts.audit?.record({
        at: opts.farm.api.now().toISOString(),
        cid: newId(),
        actor: actor?.id ?? `${who.platform}:${who.userId}`,
        where,
        command: spec.name,
        args,
        result,
      });
    if (!actor) {
      record('forbidden');
      return Promise.resolve(
        errorReply(
          'forbidden',
          `${who.display} may not use k3sc: ask an admin to add your id ${who.userId} to rbac.viewers, rbac.operators or rbac.admins`,
        ),
      );
    }
    // Someone who may run it, with valid arguments, gets the card; anyone else the usual refusal.
    if (
      needsConfirmation(spec, args, who.local === true || inbound.confirmed === true) &&
      allows(actor.role, spec.role) &&
      spec.schema.safeParse(args).success
    ) {
      record('confirmation_requested');
      const line = inbound.text.replace(/^\s*\/?k3sc\b/, '').trim();
      return Promise.resolve(gate.request({ spec, args, line, requestedBy: actor, where }));
    }
    return runCommand(
      spec,
      args,
      { farm: opts.farm, actor, signal: inbound.signal, stream: (line) => r.stream(line) },
      envFor(where),
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
      if ((tokens[0] === 'confirm' || tokens[0] === 'cancel') && tokens.length === 2) {
        const deps = { gate, farm: opts.farm, policy: opts.policy, env: envFor(inbound.where) };
        const out: Outbound = await resolveConfirmation(tokens[0], tokens[1] ?? '', inbound, responder, {
          ...deps,
          ...(opts.audit ? { audit: opts.audit } : {}),
        });
        await responder.respond(out);
        return;
      }
      // Commander's own output (usage errors, --help) is collected and sent as one text answer.
      const said: string[] = [];
      const program = buildTableProgram(
        'k3sc',
        async (spec, args) => {
          const reply = await run(spec, args, inbound, responder);
          // A confirmation card is always shown as a card (its buttons are the point).
          const card = reply.title === `confirm ${spec.name}` && reply.exitCode === undefined;
          // Refresh and previous / next on a dashboard update that dashboard in place.
          const replace = inbound.fromButton === true && spec.name === 'top' && reply.exitCode === undefined;
          await responder.respond({
            kind: 'reply',
            reply,
            json: args.json === true && !card,
            replace,
            ...(card ? { keep: true } : {}),
          });
          const token = card ? cardToken(reply) : undefined;
          if (token !== undefined)
            watchCardExpiry(token, responder.replaceLater?.(), {
              gate,
              farm: opts.farm,
              env: envFor(inbound.where),
              ...(opts.audit ? { audit: opts.audit } : {}),
            });
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
