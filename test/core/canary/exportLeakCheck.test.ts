import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract';

// reports.export checks the bundle against the secret values the runner holds for the run: a
// secret the technician pasted into a note or a reason (which are recorded as typed) stops the
// export instead of being signed into a report that leaves the site.

const EXAMPLE_PLAN_DIR = join(import.meta.dirname, '../../../resources/plans/example-plan');
const DB_PASSWORD = 'Leak-check db password 51c0';
const PASSPHRASE = 'leak check identity passphrase';

let work: string;
let core: Core;
let planHash: string;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code}: ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

/** A run given the secret, then aborted with `reason`. */
async function abortedRun(reason: string): Promise<string> {
  const { runId, seq } = await call('runs.create', { planHash });
  await call('runs.secrets.provide', { runId, values: { db_password: DB_PASSWORD } });
  await call('runs.abort', { runId, expectSeq: seq + 1, reason });
  return runId;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-leak-check-'));
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true });
  await call('identity.create', { technician: 'tech@example.com', passphrase: PASSPHRASE });
  ({ plan: { hash: planHash } } = await call('plans.import', { source: { kind: 'path', path: EXAMPLE_PLAN_DIR }, acknowledgeUntrusted: { note: 'leak check' } }));
});
afterAll(() => {
  core?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the export leak check', () => {
  it('refuses to export a run whose record holds one of its secret values, plain or base64, and leaves nothing behind', async () => {
    const outDir = join(work, 'refused');
    for (const reason of [`client postponed; db password is ${DB_PASSWORD}`, `pasted ${Buffer.from(DB_PASSWORD).toString('base64')} by mistake`]) {
      const runId = await abortedRun(reason);
      const refused = await core.dispatch('reports.export', { runId, outDir });
      expect(refused.ok === false && refused.error.code).toBe('REPORT_SECRET_LEAK');
      expect(refused.ok === false && refused.error.message).not.toContain(DB_PASSWORD);
      const { state } = await call('runs.get', { runId });
      expect(state.exports).toEqual([]);
    }
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('exports a run given the same secret when the secret shows nowhere', async () => {
    const runId = await abortedRun('client postponed the visit');
    const exported = await call('reports.export', { runId, outDir: join(work, 'accepted') });
    expect(exported.exportSeq).toBe(1);
    expect(existsSync(join(exported.bundleDir, 'manifest.json.sig'))).toBe(true);
  });
});
