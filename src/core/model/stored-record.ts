/**
 * Small named records that parts other than the engine keep durable in the same store as
 * attempts and leases: the chat message of each attempt, alert marks (one alert per event),
 * audit entries, saved agent configurations, logged-in web sessions (by the hash of their id). Each kind's owner validates `data` with its own
 * schema when reading it back; the store only checks that it is plain JSON and not too big.
 */
export const RECORD_KINDS = ['chat-message', 'alert-mark', 'audit', 'agent-config', 'web-session'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface StoredRecord {
  readonly kind: RecordKind;
  /** Unique within its kind; creating a name that exists is a conflict (the lock). */
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly data: JsonValue;
}

/** The most a record's `data` may take as JSON text (a Kubernetes object is limited too). */
export const MAX_RECORD_BYTES = 64 * 1024;

/** Record names: what a Kubernetes object name allows, so every store can keep them as is. */
export const RECORD_NAME_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
