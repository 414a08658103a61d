export {
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
  type DiscordFakeRequest,
} from './discord-fake.js';
export type { DiscordFakeMessage, DiscordFakeThread } from './discord-channels.js';
export { newDiscordKeys, type DiscordKeys } from './discord-keys.js';
