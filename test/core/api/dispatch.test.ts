import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../../shared/contract';
import type { MethodName } from '../../../shared/contract';
import { createDispatcher } from '../../../electron/core/api/dispatch';
import type { Handlers } from '../../../electron/core/api/dispatch';
import { createCore } from '../../../electron/core/core';
import type { Core } from '../../../electron/core/core';

const PLANS = join(import.meta.dirname, '../../../resources/plans');

let work: string;
let core: Core;
const internalErrors: string[] = [];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'fieldrun-dispatch-'));
  core = createCore({ dataDir: join(work, 'data'), strictOutputs: true, onInternalError: (method) => internalErrors.push(method) });
});
afterEach(() => {
  core.close();
  rmSync(work, { recursive: true, force: true });
});

describe('dispatch: the one entry point of the core', () => {
  it('rejects an unknown method without running anything', async () => {
    const result = await core.dispatch('plans.drop', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'METHOD_UNKNOWN' } });
    expect(await core.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'METHOD_UNKNOWN' } });
    expect(await core.dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'METHOD_UNKNOWN' } });
  });

  it('rejects invalid input with the path of each bad field', async () => {
    const result = await core.dispatch('plans.get', { hash: 'abc', extra: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INPUT_INVALID');
    expect(result.error.message).toMatch(/hash/);
  });

  it('validates, imports, lists and gets plans', async () => {
    const text = readFileSync(join(PLANS, 'first-plan.yaml'), 'utf8');
    expect(await core.dispatch('plans.validate', { text, fileName: 'first-plan.yaml' })).toMatchObject({ ok: true, value: { valid: true, problems: [] } });

    const events: string[] = [];
    core.events.subscribe((name) => events.push(name));
    const folder = join(work, 'example-plan');
    cpSync(join(PLANS, 'example-plan'), folder, { recursive: true });
    const imported = await core.dispatch('plans.import', { source: { kind: 'path', path: folder }, acknowledgeUntrusted: { note: 'repository example' } });
    expect(imported).toMatchObject({ ok: true, value: { alreadyImported: false, plan: { source: { kind: 'folder' }, signature: { status: 'unsigned' } } } });
    expect(events).toEqual(['plans.changed']);
    if (!imported.ok) return;
    const { hash } = (imported.value as { plan: { hash: string } }).plan;

    expect(await core.dispatch('plans.import', { source: { kind: 'path', path: folder }, acknowledgeUntrusted: { note: 'repository example' } })).toMatchObject({ ok: true, value: { alreadyImported: true } });
    expect(events).toEqual(['plans.changed']);
    const list = await core.dispatch('plans.list', {});
    expect(list).toMatchObject({ ok: true, value: { plans: [{ hash }] } });
    const got = await core.dispatch('plans.get', { hash });
    expect(got).toMatchObject({ ok: true, value: { plan: { hash }, text: readFileSync(join(folder, 'plan.yaml'), 'utf8') } });
  });

  it('returns located problems for a bad plan and PLAN_INVALID when importing it', async () => {
    const validated = await core.dispatch('plans.validate', { text: 'apiVersion: fieldrun/v1\nkind: Nope\n', fileName: 'bad.yaml' });
    expect(validated).toMatchObject({ ok: true, value: { valid: false } });
    const missing = await core.dispatch('plans.get', { hash: '0'.repeat(64) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'PLAN_NOT_FOUND' } });
    const notThere = await core.dispatch('plans.import', { source: { kind: 'path', path: join(work, 'nothing-here') } });
    expect(notThere).toMatchObject({ ok: false, error: { code: 'IMPORT_SOURCE_INVALID' } });
  });

  it('turns an unexpected failure into INTERNAL without its message or stack', async () => {
    const handlers = Object.fromEntries(
      METHOD_NAMES.map((m) => [m, () => { throw new Error('secret-token-123 leaked in a bug'); }]),
    ) as unknown as Handlers;
    const seen: string[] = [];
    const dispatch = createDispatcher(handlers, { onInternalError: (method) => seen.push(method) });
    const result = await dispatch('plans.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret-token-123');
    expect(seen).toEqual(['plans.list']);
  });

  it('never runs a handler on input its schema rejects (every method, fuzzed)', async () => {
    const calls: MethodName[] = [];
    const handlers = Object.fromEntries(METHOD_NAMES.map((m) => [m, () => { calls.push(m); return {}; }])) as unknown as Handlers;
    const dispatch = createDispatcher(handlers);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), fc.anything(), async (method, input) => {
        calls.length = 0;
        const accepted = contract[method].input.safeParse(input).success;
        const result = await dispatch(method, input);
        if (!accepted) {
          expect(result).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
          expect(calls).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
    expect(internalErrors).toEqual([]);
  });
});
