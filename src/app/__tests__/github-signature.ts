import { createHmac } from 'node:crypto';

/** A webhook body for `owner/name` and its `X-Hub-Signature-256` under `secret`. */
export const signedDelivery = (
  secret: string,
  repo: { owner: string; name: string },
  number = 1,
): { body: string; headers: Record<string, string> } => {
  const body = JSON.stringify({
    action: 'labeled',
    issue: { number },
    repository: { name: repo.name, owner: { login: repo.owner }, full_name: `${repo.owner}/${repo.name}` },
    sender: { login: 'alice' },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': `test-${number}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  };
};
