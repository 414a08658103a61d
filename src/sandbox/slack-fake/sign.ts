import { createHmac } from 'node:crypto';

/** The headers Slack puts on a request it sends: `v0=` HMAC-SHA256 over `v0:<ts>:<body>`. */
export const slackSignatureHeaders = (
  signingSecret: string,
  body: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> => {
  const ts = String(timestampSeconds);
  const mac = createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${mac}`,
  };
};

/** A slash command body as Slack sends it (form-encoded); `response_url` is required. */
export const slashCommandBody = (fields: {
  text: string;
  response_url: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  team_id?: string;
  channel_id?: string;
  trigger_id?: string;
}): string =>
  new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.team_id ?? 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0FAKE',
    channel_name: 'k3sc',
    user_id: fields.user_id ?? 'U0FAKE',
    user_name: fields.user_name ?? 'alice',
    command: fields.command ?? '/k3sc',
    text: fields.text,
    api_app_id: 'A0FAKE',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? `${Date.now()}.${Math.floor(Math.random() * 1e9)}`,
  }).toString();
