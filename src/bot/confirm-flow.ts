import { actorFor, type RbacPolicy } from '../core/api/farm-api.js';
import { resolvedCard, type ConfirmationGate, type PendingConfirmation } from './confirm.js';
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

/** What an unconfirmed card becomes when it expires: no buttons, nothing ran. */
export const expiredCard = (p: PendingConfirmation): Reply =>
  resolvedCard(
    `${p.spec.name} expired`,
    `expired: \`${p.line}\` was not confirmed within 5 minutes; nothing ran`,
  );

/**
 * Once a card is shown: when it expires unconfirmed, the transport replaces it (Slack
 * chat.update, Discord an edit of the message) with the expired card, and the audit says so.
 */
export const watchCardExpiry = (
  token: string,
  replaceLater: ((out: Outbound) => Promise<void>) | undefined,
  d: Pick<ConfirmFlowDeps, 'gate' | 'farm' | 'audit' | 'env'>,
): void => {
  if (!replaceLater) return;
  d.gate.watch(token, async (p) => {
    d.audit?.record({
      at: d.farm.api.now().toISOString(),
      cid: (d.env.newId ?? (() => token))(),
      actor: p.requestedBy.id,
      where: p.where,
      command: p.spec.name,
      args: p.args,
      result: 'expired',
    });
    try {
      await replaceLater({ kind: 'reply', reply: expiredCard(p), json: false, replace: true });
    } catch (err) {
      d.env.logger.warn({ err, token }, 'the expired confirmation card could not be updated');
    }
  });
};

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
  const r = d.gate.resolve(token, actor, inbound.where, verb);
  if (r.kind === 'done') {
    audit(verb, { token }, 'not_found', newId());
    return out(errorReply('not_found', `this confirmation is not pending any more: ${r.note}`), false);
  }
  if (r.kind === 'unknown' || r.kind === 'elsewhere') {
    audit(verb, { token }, 'not_found', newId());
    // A click on a card this serve does not know (it restarted, or forgot it): the card can never
    // be confirmed now, so it loses its buttons and says so; typed, the answer is private.
    return replace && r.kind === 'unknown'
      ? out(resolvedCard(`${verb} refused`, `${NOT_PENDING}. Nothing ran.`))
      : out(errorReply('not_found', NOT_PENDING), false);
  }
  const { pending } = r;
  const what = `\`${pending.line}\``;
  switch (r.kind) {
    case 'expired':
      audit(pending.spec.name, pending.args, 'expired', newId());
      return out(expiredCard(pending));
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
