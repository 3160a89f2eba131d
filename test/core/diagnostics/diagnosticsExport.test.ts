import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { LATEST_SCHEMA_VERSION } from '../../../electron/core/store';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract';

// diagnostics.export: what support needs (versions, free space, store health, counts, recent
// error codes), written to the data folder, and nothing of the site: no plan values, host names
// or addresses, notes or error messages.

const EXAMPLE_PLAN_DIR = join(import.meta.dirname, '../../../resources/plans/example-plan');
const NOTE = 'note-canary-7d1f: checked with Claire';

let work: string;
let core: Core;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-diagnostics-'));
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true, appVersion: '9.8.7-test' });
});
afterAll(() => {
  core?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('diagnostics.export', () => {
  it('writes versions, free space, store health, counts and recent error codes, and leaves the site out', async () => {
    const { plan } = await call('plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: NOTE } });
    const { runId } = await call('runs.create', { planHash: plan.hash, label: 'diagnostics' });
    await call('runs.checklist.tick', { runId, expectSeq: 1, itemId: 'backup-confirmed', note: NOTE });
    await call('credentials.set', { name: 'site-admin-profile', credential: { kind: 'password', password: 'pw-canary-93ab' }, appliesTo: { hosts: ['db1'] } });
    // Two refusals the file should name by method and code, and a method name that is only noise.
    expect((await core.dispatch('runs.get', { runId: 'run-that-does-not-exist' })).ok).toBe(false);
    expect((await core.dispatch('identity.unlock', { passphrase: 'no store here yet' })).ok).toBe(false);
    expect((await core.dispatch('steal.secrets 198.18.1.31', {})).ok).toBe(false);

    const { path, text } = await call('diagnostics.export', {});
    expect(path.startsWith(join(core.store.dataDir, 'diagnostics', 'diagnostics-'))).toBe(true);
    expect(path).toMatch(/diagnostics-\d{8}T\d{6}Z\.txt$/);
    expect(readFileSync(path, 'utf8')).toBe(text);

    expect(text).toContain('app version: 9.8.7-test');
    expect(text).toContain(`node: ${process.versions.node}`);
    expect(text).toContain('electron: not running under Electron');
    expect(text).toMatch(/free space: \d+\.\d [KM]iB of \d+\.\d [KM]iB/);
    expect(text).toContain('synchronous: FULL');
    expect(text).toContain(`schema version: ${LATEST_SCHEMA_VERSION} (this build knows up to ${LATEST_SCHEMA_VERSION})`);
    expect(text).toContain('journal mode: wal');
    expect(text).toMatch(/sqlite: 3\.\d+/);
    expect(text).toContain('health: ok (quick_check)');
    expect(text).toContain('plans: 1');
    expect(text).toContain('runs: 1 (prepare: 1)');
    expect(text).toContain('outbox entries: 0');
    expect(text).toMatch(/journal events: [1-9]/);
    expect(text).toContain('state: missing');
    expect(text).toContain('key store: passphrase-file');
    expect(text).toContain('ssh credential profiles: 1 (password: 1)');
    expect(text).toMatch(/runs\.get: RUN_NOT_FOUND\n.*identity\.unlock: KEY_MISSING\n.*\(unknown method\): METHOD_UNKNOWN/);

    // Nothing of the site: plan names and values, hosts, notes, error messages, the run id.
    for (const absent of ['198.18.', 'web1', 'db1', 'jump1', 'Example Shop', 'Claire', 'note-canary', 'steal', 'Europe/Paris', 'pw-canary', 'site-admin-profile', runId, plan.hash, 'There is no run']) {
      expect(text, `diagnostics mention ${absent}`).not.toContain(absent);
    }
  });

  it('writes a new file on each export, never overwriting one', async () => {
    const first = await call('diagnostics.export', {});
    const second = await call('diagnostics.export', {});
    expect(second.path).not.toBe(first.path);
    const files = readdirSync(join(core.store.dataDir, 'diagnostics'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expect(statSync(join(core.store.dataDir, 'diagnostics', file)).mode & 0o077).toBe(0);
  });
});
