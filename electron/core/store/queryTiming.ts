/** A statement or transaction that took longer than the slow-query threshold. */
export interface SlowQuery {
  readonly label: string;
  readonly ms: number;
}

export type SlowQueryListener = (query: SlowQuery) => void;

// Signal Desktop's habit: anything over 40 ms on the store's thread is worth hearing about, since
// the core shares its event loop with every live SSH stream.
export const SLOW_QUERY_MS = 40;

export interface QueryTimer {
  measure<T>(label: string, work: () => T): T;
}

export function createQueryTimer(onSlowQuery: SlowQueryListener | undefined): QueryTimer {
  if (onSlowQuery === undefined) return { measure: (_label, work) => work() };
  return {
    measure<T>(label: string, work: () => T): T {
      const started = performance.now();
      try {
        return work();
      } finally {
        const ms = performance.now() - started;
        if (ms > SLOW_QUERY_MS) onSlowQuery({ label, ms });
      }
    },
  };
}
