import type { StateStore } from '../../core/ports/state-store.js';
import { DocumentStateStore } from './document-state-store.js';
import { emptyStateDocument } from './state-document.js';

/**
 * The StateStore kept in memory, with the same semantics as the durable stores: conflicts on
 * duplicate names, not-found on update, sorted lists, serialized mutations, copies out.
 * For tests and for runs that need no durability (the sandbox demo).
 */
export class MemoryStateStore extends DocumentStateStore implements StateStore {
  constructor() {
    super(emptyStateDocument(), () => Promise.resolve());
  }

  /** Finishes queued mutations, after which every call fails with `unavailable`. */
  close(): Promise<void> {
    return this.shutdown();
  }
}
