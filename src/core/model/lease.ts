import type { RepoRef } from './refs.js';

/** A reservation of one open pull request for one review worker. Name is deterministic per PR. */
export interface ReviewLease {
  readonly name: string;
  readonly repo: RepoRef;
  readonly pr: number;
  readonly worker: string;
  /** The person or process that took it (chat user id, `cli:<user>`). */
  readonly holder: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}
