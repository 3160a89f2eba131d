import { openStore, systemClock } from './store';
import type { Clock, Store } from './store';
import { createDispatcher } from './api/dispatch';
import type { Dispatch } from './api/dispatch';
import { EventHub } from './api/eventHub';
import { planHandlers } from './api/handlers/plans';

export interface CoreOptions {
  readonly dataDir: string;
  readonly clock?: Clock;
  /** Validate every answer against its output schema (tests, development). */
  readonly strictOutputs?: boolean;
  readonly onInternalError?: (method: string, error: unknown) => void;
}

/** The product without a window: what the Electron shell, the browser-mode host and tests run. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly store: Store;
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const store = openStore(options.clock === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, clock: options.clock });
  const events = new EventHub();
  const dispatch = createDispatcher(
    { ...planHandlers(store, events, options.clock ?? systemClock) },
    {
      validateOutput: options.strictOutputs === true,
      ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
    },
  );
  return { dispatch, events, store, close: () => store.close() };
}
