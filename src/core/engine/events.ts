import type { IssueRef } from '../model/refs.js';

export type AlertKind =
  | 'needs-human'
  | 'needs-review'
  | 'attempt-failed'
  | 'attempt-stuck'
  | 'parked'
  | 'quota-exhausted'
  | 'quota-restored'
  | 'orphan-recovered'
  | 'lease-expired';

/** What the engine tells the outside world: chat, the console, the demo, metrics. */
export type EngineEvent =
  | {
      readonly type: 'transition';
      readonly ref: IssueRef;
      readonly from: string;
      readonly to: string;
      readonly attempt?: string;
      readonly by: string;
      /** A label seen on GitHub (by `github`): the issue's updatedAt then, naming that appearance. */
      readonly seenAt?: string;
    }
  | {
      readonly type: 'alert';
      readonly kind: AlertKind;
      readonly ref?: IssueRef;
      readonly message: string;
      /** The attempt it is about (chat sends one alert per kind and attempt). */
      readonly attempt?: string;
      /** The agent family it is about (alert routes can filter on it). */
      readonly family?: string;
    }
  | {
      readonly type: 'attempt-started';
      readonly ref: IssueRef;
      readonly attempt: string;
      readonly slot: string;
    }
  | {
      readonly type: 'attempt-finished';
      readonly ref: IssueRef;
      readonly attempt: string;
      readonly ok: boolean;
    }
  | { readonly type: 'scan'; readonly repos: number; readonly dispatched: number; readonly changed: number };

export interface EventSink {
  emit(event: EngineEvent): void;
}

export const nullSink: EventSink = { emit: () => undefined };

/** Fans one event out to many sinks; a throwing sink never breaks the engine. */
export const fanOut = (sinks: readonly EventSink[]): EventSink => ({
  emit: (event) => {
    for (const s of sinks) {
      try {
        s.emit(event);
      } catch {
        /* a broken listener must not stop the engine */
      }
    }
  },
});
