import type { ConnectionPool, HostEndpoint } from '../ssh/connection';
import type { Plan } from '../../../shared/plan';
import type { Store } from '../store';
import type { RunRecorder } from './runJournalWriter';

/** What deployment and rollback both need from their session. */
export interface InstanceWorkOptions {
  readonly recorder: RunRecorder;
  readonly plan: Plan;
  readonly store: Store;
  readonly pool: () => ConnectionPool;
  readonly endpoints: ReadonlyMap<string, HostEndpoint>;
  readonly secrets: ReadonlyMap<string, string>;
  readonly maxParallel: number;
  readonly onOutput: (stream: string, offset: number, data: Buffer) => void;
  /** Work failed in a way no outcome could record (the disk is full): the session halts. */
  readonly onFault: (error: unknown) => void;
  /** Called when a piece of work ended: the session pumps deployment and rollback alike. */
  readonly afterWork: () => void;
}

/**
 * The instances (step or rollback action on a host) executing in this process, by instance key.
 * When one ends, the session is pumped again, unless the app is closing.
 */
export class ActiveWork {
  private readonly work = new Map<string, Promise<void>>();

  constructor(
    private readonly options: Pick<InstanceWorkOptions, 'onFault' | 'afterWork'>,
    private readonly stopped: () => boolean,
  ) {}

  get size(): number {
    return this.work.size;
  }

  has(key: string): boolean {
    return this.work.has(key);
  }

  track(key: string, work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.options.onFault(error))
      .finally(() => {
        this.work.delete(key);
        if (!this.stopped()) this.options.afterWork();
      });
    this.work.set(key, tracked);
  }

  /** Resolves when nothing is executing here. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work.values()]);
  }
}
