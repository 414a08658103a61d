import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineEvent, EventSink } from '../core/engine/events.js';

/** Prometheus metrics fed by engine events; served at /metrics. */
export class Metrics implements EventSink {
  readonly registry = new Registry();
  private readonly transitions = new Counter({
    name: 'k3sc_transitions_total',
    help: 'Label transitions applied',
    labelNames: ['to'],
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: 'k3sc_attempts_total',
    help: 'Attempts started and finished',
    labelNames: ['event'],
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'k3sc_alerts_total',
    help: 'Alerts raised',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly scans = new Counter({
    name: 'k3sc_scans_total',
    help: 'Dispatch passes',
    registers: [this.registry],
  });
  readonly liveAttempts = new Gauge({
    name: 'k3sc_live_attempts',
    help: 'Attempts pending or running',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'k3sc_' });
  }

  emit(event: EngineEvent): void {
    switch (event.type) {
      case 'transition':
        this.transitions.inc({
          to: event.to.includes('-') && !event.to.startsWith('needs') ? 'owned' : event.to,
        });
        break;
      case 'attempt-started':
        this.attempts.inc({ event: 'started' });
        break;
      case 'attempt-finished':
        this.attempts.inc({ event: event.ok ? 'succeeded' : 'failed' });
        break;
      case 'alert':
        this.alerts.inc({ kind: event.kind });
        break;
      case 'scan':
        this.scans.inc();
        break;
    }
  }
}
