export { startSlackFake, type SlackFake, type SlackFakeMessage, type SlackFakeRecord } from './slack-fake.js';
export type { SlackFakeUpload } from './slack-files.js';
export { slackSignatureHeaders, slashCommandBody } from './sign.js';
