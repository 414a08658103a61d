import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGitHubWebhookHandler, type GitHubWebhookEvent } from '../adapters/github/index.js';
import type { RepoRef } from '../core/model/refs.js';

export interface WebhookEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** A node http server on 127.0.0.1 whose only route is k3sc's GitHub webhook handler. */
export const startWebhookEndpoint = async (
  secret: string,
  onEvent: (e: GitHubWebhookEvent) => void,
): Promise<WebhookEndpoint> => {
  const handler = createGitHubWebhookHandler({ secret, onEvent });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/github`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** The body GitHub sends when someone adds a label to an issue (only the fields that matter, plus a few more). */
export const labeledBody = (repo: RepoRef, issue: number, label: string, sender: string): string =>
  JSON.stringify({
    action: 'labeled',
    issue: { number: issue, title: `Issue ${issue}`, labels: [{ name: label }], user: { login: sender } },
    label: { name: label },
    repository: { name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner: { login: repo.owner } },
    sender: { login: sender },
  });

/** POSTs `body` signed like GitHub (HMAC-SHA256 over the raw body); resolves with the HTTP status. */
export const postSignedWebhook = async (
  url: string,
  secret: string,
  event: string,
  body: string,
): Promise<number> => {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature,
      'user-agent': 'GitHub-Hookshot/bench',
    },
    body,
  });
  await res.text();
  return res.status;
};
