// Wakes the outbox when its next entry is due, never by polling a busy loop. Timers are a port so
// tests move an injected clock and fire the wake-up by hand instead of sleeping.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending sync must not keep a CLI or test process alive on its own.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Entries can be enqueued by another part of the core without telling the outbox, so an idle
 * scheduler still looks again this often.
 */
export const IDLE_RECHECK_MS = 5 * 60 * 1000;

export interface SyncScheduler {
  start(): void;
  /** Stops waking; resolves once a round in progress has finished. */
  stop(): Promise<void>;
  /** Looks again at when to wake (after an enqueue, a round, a probe). */
  reschedule(): void;
  readonly running: boolean;
}

export function createSyncScheduler(options: {
  timers: Timers;
  now: () => number;
  /** when the next round should run; undefined: nothing to do */
  wakeAt: () => number | undefined;
  round: () => Promise<unknown>;
}): SyncScheduler {
  let running = false;
  let handle: unknown;
  let inFlight: Promise<unknown> | undefined;

  const clear = (): void => {
    if (handle !== undefined) options.timers.clearTimeout(handle);
    handle = undefined;
  };

  const tick = (): void => {
    handle = undefined;
    if (!running) return;
    const wakeAt = options.wakeAt();
    if (wakeAt === undefined || wakeAt > options.now()) {
      reschedule();
      return;
    }
    inFlight = options.round().catch(() => undefined);
    void inFlight.finally(() => {
      inFlight = undefined;
      reschedule();
    });
  };

  const reschedule = (): void => {
    clear();
    if (!running || inFlight !== undefined) return;
    const wakeAt = options.wakeAt();
    const delay = wakeAt === undefined ? IDLE_RECHECK_MS : Math.min(Math.max(0, wakeAt - options.now()), IDLE_RECHECK_MS);
    handle = options.timers.setTimeout(tick, delay);
  };

  return {
    start: () => {
      if (running) return;
      running = true;
      reschedule();
    },
    stop: async () => {
      running = false;
      clear();
      if (inFlight !== undefined) await inFlight;
    },
    reschedule,
    get running() {
      return running;
    },
  };
}
