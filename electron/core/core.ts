import { openStore, systemClock } from './store';
import type { Clock, Store } from './store';
import { createDispatcher } from './api/dispatch';
import type { Dispatch } from './api/dispatch';
import { EventHub } from './api/eventHub';
import { planHandlers } from './api/handlers/plans';
import { runHandlers } from './api/handlers/runs';
import { fileHandlers } from './api/handlers/files';
import { reportHandlers } from './api/handlers/reports';
import { outboxHandlers, resumeSyncAfterUnlock, wakeOutboxAfterExport } from './api/handlers/outbox';
import { createHeadOfficeSync } from './sync/app/headOfficeSync';
import { attachmentHandlers } from './api/handlers/attachments';
import { identityHandlers } from './api/handlers/identity';
import { settingsHandlers } from './api/handlers/settings';
import { KeyVault, type SecretStore, type SigningIdentity } from './keys';
import { noteFailures, RecentFailures } from './diagnostics';
import { UploadArea } from './files/uploadArea';
import { createRunner, type Runner, type RunnerOptions } from './runner';
import { createCredentialProfiles } from './credentials/credentialProfiles';

export interface CoreOptions {
  readonly dataDir: string;
  readonly clock?: Clock;
  /** Validate every answer against its output schema (tests, development). */
  readonly strictOutputs?: boolean;
  readonly onInternalError?: (method: string, error: unknown) => void;
  /** How runs connect and how much they do at once (credentials come from the shell's profiles). */
  readonly runner?: Omit<RunnerOptions, 'store' | 'onChanged' | 'onOutput'>;
  /** A fixed signing identity for report export (tests, the CLI); without it reports.export signs with the key vault's identity. */
  readonly signing?: { readonly identity: SigningIdentity };
  /**
   * Where the technician's secrets live: the OS keychain store from the Electron shell. Absent
   * (browser mode, tests, a `basic_text` keychain), the key vault keeps a passphrase-protected file
   * in the data folder, unlocked with identity.unlock each session.
   */
  readonly secretStore?: SecretStore;
  /** Written into every report. */
  readonly appVersion?: string;
}

/** The product without a window: what the Electron shell, the browser-mode host and tests run. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly store: Store;
  readonly runner: Runner;
  /** The technician's signing key and secret store (head-office credentials are read through `vault.secretStore()`). */
  readonly vault: KeyVault;
  /** Drops the runs' connections (running commands go on on their hosts) and closes the store. */
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const store = openStore(options.clock === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, clock: options.clock });
  const events = new EventHub();
  const uploads = UploadArea.inDataDir(store.dataDir);
  const vault = new KeyVault(options.secretStore === undefined ? { dataDir: store.dataDir } : { dataDir: store.dataDir, secretStore: options.secretStore });
  const failures = new RecentFailures();
  const appVersion = options.appVersion ?? 'dev';
  const clock = options.clock ?? systemClock;
  // Profiles given at start (tests, the CLI) plus those the technician adds in the Connect screen.
  const given = options.runner?.credentials;
  const credentials = createCredentialProfiles(Array.isArray(given) ? given : []);
  const runner = createRunner({
    ...options.runner,
    credentials: typeof given === 'function' ? (host) => [...given(host), ...credentials.forHost(host)] : (host) => credentials.forHost(host),
    store,
    onChanged: (runId, seq) => events.emit('runs.changed', { runId, seq }),
    onOutput: (runId, stream, offset, data) => events.emit('runs.output', { runId, stream, offset, data: data.toString('base64') }),
  });
  // The one outbox: it syncs only where head office was set up, with the credential from the key store.
  const sync = createHeadOfficeSync({
    store,
    clock,
    secrets: () => vault.secretStore(),
    onOutboxChange: (entry) => events.emit('outbox.changed', { id: entry.id, state: entry.state }),
  });
  const answered = createDispatcher(
    {
      ...planHandlers(store, events, clock, uploads),
      ...runHandlers(runner),
      ...fileHandlers(uploads),
      ...wakeOutboxAfterExport(reportHandlers({
        store,
        appVersion,
        onChanged: (runId, seq) => events.emit('runs.changed', { runId, seq }),
        recordRunEvents: (runId, expectSeq, decide) => runner.record(runId, expectSeq, decide),
        ...(options.signing === undefined ? {} : { signing: options.signing }),
        signingIdentity: () => vault.signingIdentity(),
        // The export refuses a bundle holding any secret of this session: the run's values and the SSH credentials'.
        secretValues: (runId) => [...runner.secretValues(runId), ...credentials.secretValues()],
      }), sync),
      ...outboxHandlers({ sync, store, events, clock }),
      ...attachmentHandlers({
        store,
        uploads,
        runState: (runId) => runner.get(runId).state,
        recordRunEvents: (runId, expectSeq, decide) => runner.record(runId, expectSeq, decide),
        // The key that signs this laptop's exports (the fixed identity when one is given, else the vault's, locked or not).
        signerPublicKey: async () => options.signing?.identity.publicKey ?? (await vault.status().catch(() => undefined))?.publicKey ?? undefined,
      }),
      ...resumeSyncAfterUnlock(identityHandlers({
        vault,
        diagnostics: {
          store,
          appVersion,
          runPhases: () => runner.list().map((r) => r.phase),
          failures: () => failures.list(),
          credentialKinds: () => credentials.list().map((p) => p.kind),
        },
      }), sync),
      ...settingsHandlers({ credentials, dataDir: store.dataDir, appVersion }),
    },
    {
      validateOutput: options.strictOutputs === true,
      ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
    },
  );
  // Every refused call is noted (method and code only) for the diagnostics file.
  const dispatch = noteFailures(answered, failures);
  const close = (): void => {
    // Connections are dropped at once; commands keep running on their hosts and are reattached
    // when the run is opened again.
    void runner.close();
    // An upload in flight is cut; its entry is sent again at the next start.
    void sync.close();
    uploads.close();
    store.close();
  };
  return { dispatch, events, store, runner, vault, close };
}
