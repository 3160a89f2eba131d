// What the app-level sync tests share: a core on a fresh data folder with a real signing identity
// and a real passphrase-file key store, a run of the example plan exported through dispatch, and
// calls through dispatch as the UI makes them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DispatchResult, MethodInput, MethodName, MethodOutput } from '../../../../shared/contract';
import type { AppErrorData } from '../../../../shared/errors';
import { createCore, type Core } from '../../../../electron/core/core';
import { PassphraseFileSecretStore, defaultSecretsPath, loadOrCreateIdentity, type SigningIdentity } from '../../../../electron/core/keys';
import type { NginxPeer } from '../nginx/nginxPeer';

export const PASSPHRASE = 'correct horse battery staple';
export const TECHNICIAN = 'tech@example.com';
export const EXAMPLE_PLAN_DIR = join(import.meta.dirname, '../../../../resources/plans/example-plan');
const ROOT = join(import.meta.dirname, '../../../..');

export interface Keys {
  readonly secrets: PassphraseFileSecretStore;
  readonly identity: SigningIdentity;
}

/** The technician's key store and signing identity, in `keysDir` (made on first use). */
export async function openKeys(keysDir: string): Promise<Keys> {
  mkdirSync(keysDir, { recursive: true });
  const secrets = await PassphraseFileSecretStore.open({ path: defaultSecretsPath(keysDir), passphrase: PASSPHRASE });
  const identity = await loadOrCreateIdentity({ store: secrets, dataDir: keysDir, name: TECHNICIAN });
  return { secrets, identity };
}

export function startCore(dataDir: string, keys: Keys): Core {
  return createCore({ dataDir, strictOutputs: true, appVersion: '0.1.0-test', signing: { identity: keys.identity }, secretStore: keys.secrets });
}

export interface AppLab {
  readonly work: string;
  readonly dataDir: string;
  readonly keysDir: string;
  readonly keys: Keys;
  core: Core;
  /** Closes the core and removes every file of the lab. */
  dispose(): void;
}

export async function openAppLab(prefix: string): Promise<AppLab> {
  const work = mkdtempSync(join(tmpdir(), `fieldrun-syncapp-${prefix}-`));
  const keysDir = join(work, 'keys');
  const keys = await openKeys(keysDir);
  const dataDir = join(work, 'data');
  const lab: AppLab = {
    work,
    dataDir,
    keysDir,
    keys,
    core: startCore(dataDir, keys),
    dispose: () => {
      lab.core.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return lab;
}

export async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result: DispatchResult = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

/** The error a call is refused with (fails the test if it is answered). */
export async function refusal(core: Core, method: MethodName, input: unknown): Promise<AppErrorData> {
  const result: DispatchResult = await core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} was answered; a refusal was expected`);
  return result.error;
}

/** A run of the example plan in its prepare phase: enough for a real, signed report. */
export async function createRun(core: Core, label = 'sync test'): Promise<string> {
  const { plan } = await call(core, 'plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: 'example plan for a test' } });
  return (await call(core, 'runs.create', { planHash: plan.hash, label })).runId;
}

export function headOfficeInput(peer: NginxPeer, url = `${peer.url}reports/`): MethodInput<'headOffice.set'> {
  return { baseUrl: url, auth: { kind: 'basic', user: peer.user, password: peer.password } };
}

/** Waits until `done()` holds, looking every 50 ms; fails after `ms`. */
export async function until(what: string, done: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `fieldrun <args>` as a user runs it: the real bin script in a child process. */
export async function fieldrun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/fieldrun.mjs'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
