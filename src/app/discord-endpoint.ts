import type { Transport } from '../bot/transport.js';
import type { Logger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { createDiscordInteractions } from '../adapters/chat/discord/discord-transport.js';
import { discordGatewayTransport } from '../adapters/chat/discord/discord-gateway.js';
import { sendJson, type HttpRoutes } from './http-server.js';

/**
 * Discord's HTTP interactions when `chat.discord` is enabled with an application id and a
 * public key: the route for serve's HTTP server and the transport serve starts. Otherwise the
 * route answers 503 with what to set, and there is no transport.
 */
export const discordEndpoint = (
  config: K3scConfig,
  logger: Logger,
): { routes: HttpRoutes; transports: Transport[] } => {
  const d = config.chat.discord;
  const gateway = d?.gateway === true && d.token !== undefined;
  if (!d?.enabled || d.applicationId === undefined || (d.publicKey === undefined && !gateway))
    return {
      routes: {
        'POST /discord/interactions': (_q, res) =>
          sendJson(res, 503, {
            error: 'discord is off: set chat.discord.application_id and chat.discord.public_key',
          }),
      },
      transports: [],
    };
  const { handler, transport, accept } = createDiscordInteractions({
    ...(d.publicKey === undefined ? {} : { publicKey: d.publicKey }),
    applicationId: d.applicationId,
    apiUrl: d.apiUrl,
    ...(d.token === undefined ? {} : { botToken: d.token }),
    channels: d.channels,
    logger,
  });
  // The gateway starts after the interactions transport, whose handling it shares.
  const viaGateway =
    gateway && d.token !== undefined
      ? [
          discordGatewayTransport({
            token: d.token,
            apiUrl: d.apiUrl,
            accept,
            logger: logger.child({ via: 'gateway' }),
          }),
        ]
      : [];
  return { routes: { 'POST /discord/interactions': handler }, transports: [transport, ...viaGateway] };
};
