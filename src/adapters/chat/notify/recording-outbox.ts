import type { Reply } from '../../../bot/reply.js';
import type { ChatOutbox, ChatTarget, PostedMessage } from '../../../bot/transport.js';

/** What a recording outbox saw, in order. */
export type OutboxCall =
  | { readonly op: 'post'; readonly target: ChatTarget; readonly reply: Reply; readonly id: string }
  | { readonly op: 'edit'; readonly message: PostedMessage; readonly reply: Reply }
  | { readonly op: 'upload'; readonly target: ChatTarget; readonly name: string; readonly content: string };

/** An in-memory outbox for tests: records every call, gives posts ids `m1`, `m2`, … */
export const recordingOutbox = (
  platform: ChatOutbox['platform'] = 'slack',
): ChatOutbox & { readonly calls: OutboxCall[] } => {
  const calls: OutboxCall[] = [];
  let seq = 0;
  return {
    platform,
    calls,
    post: (target, reply) => {
      const id = `m${++seq}`;
      calls.push({ op: 'post', target, reply, id });
      return Promise.resolve({ channel: target.channel, id });
    },
    edit: (message, reply) => {
      calls.push({ op: 'edit', message, reply });
      return Promise.resolve();
    },
    upload: (target, file) => {
      calls.push({ op: 'upload', target, name: file.name, content: file.content });
      return Promise.resolve();
    },
  };
};
