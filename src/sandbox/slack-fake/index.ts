export { startSlackFake, type SlackFake, type SlackFakeMessage, type SlackFakeRecord } from './slack-fake.js';
export type { SlackFakeUpload } from './slack-files.js';
export { slackSignatureHeaders, slashCommandBody } from './sign.js';
export { socketModeFake, type SocketModeFake, type SocketAck } from './socket-mode-fake.js';
export { blockActionBody, messageShortcutBody, type SlackActor } from './interactions.js';
