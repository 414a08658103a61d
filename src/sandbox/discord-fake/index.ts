export {
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
  type DiscordFakeRequest,
} from './discord-fake.js';
export type { DiscordFakeMessage, DiscordFakeThread } from './discord-channels.js';
export { newDiscordKeys, type DiscordKeys } from './discord-keys.js';
export { discordGatewayFake, type DiscordGatewayFake } from './gateway-fake.js';
export { buttonInteraction } from './component-interaction.js';
