import { eventSchemas } from '../../../shared/contract';
import type { EventName, EventPayload } from '../../../shared/contract';

export type CoreEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** Fans core events out to subscribers (IPC windows, WebSocket clients, tests). */
export class EventHub {
  private readonly listeners = new Set<CoreEventListener>();

  subscribe(listener: CoreEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    // The schema is the contract with the UI: a malformed event is a bug here, not there.
    eventSchemas[name].parse(payload);
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // A failing subscriber must not stop the others or the core.
      }
    }
  }
}
