export { slackTransport, type SlackTransport, type SlackTransportOptions } from './slack-transport.js';
export { SlackUserGroups, slackGroupIds, USER_GROUP_TTL_MS } from './user-groups.js';
export { DeliveryDedupe, DEDUPE_WINDOW_MS } from './delivery-dedupe.js';
export { verifySlackSignature, type SignatureVerdict } from './verify-signature.js';
export { slackSocketTransport, type SlackSocketTransportOptions } from './slack-socket-transport.js';
