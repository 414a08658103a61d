export { slackTransport, type SlackTransport, type SlackTransportOptions } from './slack-transport.js';
export { DeliveryDedupe, DEDUPE_WINDOW_MS } from './delivery-dedupe.js';
export { verifySlackSignature, type SignatureVerdict } from './verify-signature.js';
export { slackSocketTransport, type SlackSocketTransportOptions } from './slack-socket-transport.js';
