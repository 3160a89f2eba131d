import { openStore, systemClock } from './store';
import type { Clock, Store } from './store';
import { createDispatcher } from './api/dispatch';
import type { Dispatch } from './api/dispatch';
import { EventHub } from './api/eventHub';
import { planHandlers } from './api/handlers/plans';
import { runHandlers } from './api/handlers/runs';
import { fileHandlers } from './api/handlers/files';
import { reportHandlers } from './api/handlers/reports';
import { outboxHandlers } from './api/handlers/outbox';
import { attachmentHandlers } from './api/handlers/attachments';
import { identityHandlers } from './api/handlers/identity';
import { settingsHandlers } from './api/handlers/settings';
import type { SigningIdentity } from './keys';
import { UploadArea } from './files/uploadArea';
import { createRunner, type Runner, type RunnerOptions } from './runner';

export interface CoreOptions {
  readonly dataDir: string;
  readonly clock?: Clock;
  /** Validate every answer against its output schema (tests, development). */
  readonly strictOutputs?: boolean;
  readonly onInternalError?: (method: string, error: unknown) => void;
  /** How runs connect and how much they do at once (credentials come from the shell's profiles). */
  readonly runner?: Omit<RunnerOptions, 'store' | 'onChanged' | 'onOutput'>;
  /** The technician's signing identity for report export; without it reports.export fails with KEY_MISSING. */
  readonly signing?: { readonly identity: SigningIdentity };
  /** Written into every report. */
  readonly appVersion?: string;
}

/** The product without a window: what the Electron shell, the browser-mode host and tests run. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly store: Store;
  readonly runner: Runner;
  /** Drops the runs' connections (running commands go on on their hosts) and closes the store. */
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const store = openStore(options.clock === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, clock: options.clock });
  const events = new EventHub();
  const uploads = UploadArea.inDataDir(store.dataDir);
  const runner = createRunner({
    ...options.runner,
    store,
    onChanged: (runId, seq) => events.emit('runs.changed', { runId, seq }),
    onOutput: (runId, stream, offset, data) => events.emit('runs.output', { runId, stream, offset, data: data.toString('base64') }),
  });
  const dispatch = createDispatcher(
    {
      ...planHandlers(store, events, options.clock ?? systemClock, uploads),
      ...runHandlers(runner),
      ...fileHandlers(uploads),
      ...reportHandlers({
        store,
        appVersion: options.appVersion ?? 'dev',
        onChanged: (runId, seq) => events.emit('runs.changed', { runId, seq }),
        recordRunEvents: (runId, expectSeq, decide) => runner.record(runId, expectSeq, decide),
        ...(options.signing === undefined ? {} : { signing: options.signing }),
      }),
      ...outboxHandlers(),
      ...attachmentHandlers(),
      ...identityHandlers(),
      ...settingsHandlers(),
    },
    {
      validateOutput: options.strictOutputs === true,
      ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
    },
  );
  const close = (): void => {
    // Connections are dropped at once; commands keep running on their hosts and are reattached
    // when the run is opened again.
    void runner.close();
    uploads.close();
    store.close();
  };
  return { dispatch, events, store, runner, close };
}
