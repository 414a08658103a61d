import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from '../core/ports/logger.js';
import type { Sandbox } from './sandbox.js';

/**
 * Makes the sandbox behave like GitHub: every change to the fake is delivered as a signed
 * webhook to our own receiver, so the sandbox exercises the real intake path.
 */
export const forwardSandboxWebhooks = (
  sandbox: Sandbox,
  url: string,
  secret: string,
  logger: Logger,
): (() => void) =>
  sandbox.github.onChange((change) => {
    if (change.event !== 'issues' && change.event !== 'pull_request') return;
    const body = JSON.stringify({
      action: change.action,
      repository: {
        name: change.repo.name,
        owner: { login: change.repo.owner },
        full_name: `${change.repo.owner}/${change.repo.name}`,
      },
      ...(change.number === undefined
        ? {}
        : change.event === 'issues'
          ? { issue: { number: change.number } }
          : { pull_request: { number: change.number } }),
      sender: { login: change.actor },
    });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': change.event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signature,
      },
      body,
    })
      .then((res) => res.body?.cancel())
      .catch((err: unknown) => logger.debug({ err }, 'sandbox webhook not delivered'));
  });
