import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { NewPlan } from '../../../electron/core/store';
import { steppingClock, tempStore } from './support';

const planFile = (title: string): NewPlan => ({
  bytes: Buffer.from(`apiVersion: fieldrun/v1\nkind: InstallationPlan\nmetadata:\n  title: ${title}\n`),
  planId: 'shop-rollout',
  version: '2.1.0',
  title,
  parsed: { metadata: { title } },
  source: { kind: 'folder', path: '/media/usb/shop-rollout' },
  signature: { status: 'valid-untrusted', details: { signer: 'SHA256:abc', namespace: 'fieldrun-plan' } },
  artifacts: [
    { id: 'app', path: 'artifacts/app.tar.gz', sha256: 'a'.repeat(64), size: 1024 },
    { id: 'conf', path: 'artifacts/app.conf', sha256: 'b'.repeat(64), size: 12 },
  ],
});

describe('the plans repository', () => {
  test('a plan is stored under the SHA-256 of its bytes, with everything import knew', () => {
    const store = tempStore({ clock: steppingClock('2026-04-02T10:00:00.000Z') });
    const input = planFile('Shop rollout');
    const { plan, inserted } = store.plans.insert(input);
    expect(inserted).toBe(true);
    expect(plan).toMatchObject({
      hash: createHash('sha256').update(input.bytes).digest('hex'),
      planId: 'shop-rollout',
      version: '2.1.0',
      title: 'Shop rollout',
      size: input.bytes.length,
      importedAt: '2026-04-02T10:00:00.000Z',
      signatureStatus: 'valid-untrusted',
      signature: input.signature,
      source: input.source,
      parsed: input.parsed,
      acknowledged: false,
      acknowledgement: null,
      artifacts: input.artifacts,
    });
    expect(Buffer.compare(plan.bytes, Buffer.from(input.bytes))).toBe(0);
    expect(store.plans.get(plan.hash)).toEqual(plan);
    expect(store.plans.get('f'.repeat(64))).toBeUndefined();
  });

  test('importing the same bytes again returns the stored plan untouched', () => {
    const store = tempStore();
    const first = store.plans.insert(planFile('Shop rollout'));
    const again = store.plans.insert({ ...planFile('Shop rollout'), source: { kind: 'file', path: 'elsewhere.yaml' } });
    expect(again).toEqual({ plan: first.plan, inserted: false });
    expect(store.plans.list()).toHaveLength(1);
  });

  test('list shows newest imports first, without the plan bodies', () => {
    const clock = steppingClock();
    const store = tempStore({ clock });
    const older = store.plans.insert(planFile('Older')).plan;
    clock.advance(60_000);
    const newer = store.plans.insert(planFile('Newer')).plan;
    const listed = store.plans.list();
    expect(listed.map((p) => p.hash)).toEqual([newer.hash, older.hash]);
    expect(listed[0]).not.toHaveProperty('bytes');
  });

  test('an untrusted plan is acknowledged once; the first acknowledgement stands', () => {
    const store = tempStore();
    const { plan } = store.plans.insert(planFile('Shop rollout'));
    const acknowledged = store.plans.acknowledge(plan.hash, { by: 'tech@example.com', reason: 'head office phoned' });
    expect(acknowledged).toMatchObject({ acknowledged: true, acknowledgement: { by: 'tech@example.com', reason: 'head office phoned' } });
    expect(store.plans.acknowledge(plan.hash, { by: 'someone else' }).acknowledgement).toEqual({ by: 'tech@example.com', reason: 'head office phoned' });
    expect(() => store.plans.acknowledge('f'.repeat(64), {})).toThrow(expect.objectContaining({ code: 'PLAN_NOT_FOUND' }));
  });

  test('malformed input is refused before anything is written', () => {
    const store = tempStore();
    expect(() => store.plans.insert({ ...planFile('X'), artifacts: [{ id: 'a', path: 'a', sha256: 'NOT-HEX', size: 1 }] })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
    const duplicate = { id: 'a', path: 'a', sha256: 'a'.repeat(64), size: 1 };
    expect(() => store.plans.insert({ ...planFile('X'), artifacts: [duplicate, duplicate] })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => store.plans.insert({ ...planFile('X'), parsed: { when: Number.POSITIVE_INFINITY } })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(store.plans.list()).toEqual([]);
  });
});
