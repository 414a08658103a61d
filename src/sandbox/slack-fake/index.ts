export { startSlackFake, type SlackFake, type SlackFakeMessage, type SlackFakeRecord } from './slack-fake.js';
export { slackSignatureHeaders, slashCommandBody } from './sign.js';
export { blockActionBody, messageShortcutBody, type SlackActor } from './interactions.js';
