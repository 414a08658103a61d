import { actorFor, type RbacPolicy } from '../core/api/farm-api.js';
import { resolvedCard, type ConfirmationGate } from './confirm.js';
import type { Farm } from './farm.js';
import { errorReply, type Reply } from './reply.js';
import { runCommand, type AuditLog, type RunEnv } from './run-command.js';
import type { Inbound, Outbound, Responder } from './transport.js';

export interface ConfirmFlowDeps {
  readonly gate: ConfirmationGate;
  readonly farm: Farm;
  readonly policy: RbacPolicy;
  readonly audit?: AuditLog;
  readonly env: RunEnv;
}

const NOT_PENDING =
  'this confirmation is not pending any more (already resolved, expired, from another channel, or k3sc restarted); run the command again';

/** `confirm <token>` / `cancel <token>` (the card's buttons, or typed): one answer. */
export const resolveConfirmation = async (
  verb: 'confirm' | 'cancel',
  token: string,
  inbound: Inbound,
  responder: Responder,
  d: ConfirmFlowDeps,
): Promise<Outbound> => {
  const replace = inbound.fromButton === true;
  const out = (reply: Reply, asReplace = replace): Outbound => ({
    kind: 'reply',
    reply,
    json: false,
    replace: asReplace,
  });
  const actor = actorFor(d.policy, inbound.who);
  const audit = (command: string, args: Record<string, unknown>, result: string, cid: string): void =>
    d.audit?.record({
      at: d.farm.api.now().toISOString(),
      cid,
      actor: actor?.id ?? `${inbound.who.platform}:${inbound.who.userId}`,
      where: inbound.where,
      command,
      args,
      result,
    });
  const newId = d.env.newId ?? (() => token);
  if (!actor) {
    audit(verb, { token }, 'forbidden', newId());
    return out(errorReply('forbidden', `${inbound.who.display} may not use k3sc`), false);
  }
  const r = d.gate.resolve(token, actor, inbound.where);
  if (r.kind === 'unknown') {
    audit(verb, { token }, 'not_found', newId());
    return out(errorReply('not_found', NOT_PENDING), false);
  }
  const { pending } = r;
  const what = `\`${pending.line}\``;
  switch (r.kind) {
    case 'expired':
      audit(pending.spec.name, pending.args, 'expired', newId());
      return out(
        resolvedCard(
          `${pending.spec.name} expired`,
          `expired: ${what} was not confirmed within 5 minutes; nothing ran`,
        ),
      );
    case 'forbidden':
      audit(pending.spec.name, pending.args, 'forbidden', newId());
      // Private, and the card keeps its buttons for someone who has the role.
      return out(
        errorReply(
          'forbidden',
          `only someone with the ${pending.spec.role} role can ${verb} ${what}; you are ${actor.role}`,
        ),
        false,
      );
    case 'resolved': {
      if (verb === 'cancel') {
        audit(pending.spec.name, pending.args, 'cancelled', newId());
        return out(
          resolvedCard(
            `${pending.spec.name} cancelled`,
            `cancelled by ${actor.display}: ${what} did not run`,
          ),
        );
      }
      const result = await runCommand(
        pending.spec,
        pending.args,
        { farm: d.farm, actor, signal: inbound.signal, stream: (line) => responder.stream(line) },
        d.env,
      );
      const note = `${actor.display} confirmed ${what} (asked by ${pending.requestedBy.display})`;
      return out(resolvedCard(pending.spec.name, note, result));
    }
  }
};
