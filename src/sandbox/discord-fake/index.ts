export {
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
  type DiscordFakeRequest,
} from './discord-fake.js';
export { newDiscordKeys, type DiscordKeys } from './discord-keys.js';
export { buttonInteraction } from './component-interaction.js';
