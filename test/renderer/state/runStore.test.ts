// The open run's store against a stand-in API whose answers the test releases one by one, to
// pin the orders a slow link produces: run A's answer arriving after run B was opened, an event
// arriving while a fetch is in flight.
import { expect, test } from 'vitest';
import type { FieldrunApi } from '../../../shared/api/fieldrunApi';
import { setApiForTests } from '../../../renderer/api/api';
import { useRunStore } from '../../../renderer/state/runStore';

type Pending = { method: string; input: { runId?: string; hash?: string }; resolve: (value: unknown) => void };

function standInApi(): { pending: Pending[]; emit: (payload: { runId: string; seq: number }) => void } {
  const pending: Pending[] = [];
  const listeners: Array<(p: unknown) => void> = [];
  const api = new Proxy(
    {},
    {
      get(_target, name) {
        if (name === 'subscribe') {
          return (_event: string, listener: (p: unknown) => void) => {
            listeners.push(listener);
            return () => listeners.splice(listeners.indexOf(listener), 1);
          };
        }
        return (input: Pending['input']) => new Promise((resolve) => pending.push({ method: String(name), input, resolve: (value) => resolve({ ok: true, value }) }));
      },
    },
  ) as FieldrunApi;
  setApiForTests(api);
  return { pending, emit: (payload) => listeners.forEach((l) => l(payload)) };
}

const runView = (runId: string, seq: number) => ({ state: { runId, planHash: 'p'.repeat(64), headSeq: seq }, head: { seq, hash: 'h' }, time: {} });
const settle = () => new Promise((r) => setTimeout(r, 0));

async function answer(pending: Pending[], method: string, value: unknown): Promise<Pending> {
  await settle();
  const index = pending.findIndex((p) => p.method === method);
  expect(index, `a ${method} call is waiting`).toBeGreaterThanOrEqual(0);
  const [call] = pending.splice(index, 1);
  call!.resolve(value);
  await settle();
  return call!;
}

test("opening run B while run A's fetch is in flight loads B, and A's late answer is dropped", async () => {
  const { pending } = standInApi();
  useRunStore.getState().open('runA');
  useRunStore.getState().open('runB');
  const first = await answer(pending, 'runs.get', runView('runA', 3));
  expect(first.input.runId).toBe('runA');
  expect(useRunStore.getState().run).toBeUndefined();
  const second = await answer(pending, 'runs.get', runView('runB', 7));
  expect(second.input.runId).toBe('runB');
  await answer(pending, 'plans.get', { document: { metadata: { title: 'B' } } });
  expect(useRunStore.getState().status).toBe('ready');
  expect(useRunStore.getState().run?.head.seq).toBe(7);
  useRunStore.getState().open(undefined);
});

test('an event during a fetch causes one more fetch, and an older answer never replaces a newer one', async () => {
  const { pending, emit } = standInApi();
  useRunStore.getState().open('runC');
  await answer(pending, 'runs.get', runView('runC', 1));
  await answer(pending, 'plans.get', { document: {} });
  emit({ runId: 'runC', seq: 2 });
  emit({ runId: 'runC', seq: 3 });
  emit({ runId: 'runC', seq: 4 });
  await answer(pending, 'runs.get', runView('runC', 4));
  // The three events while one fetch ran are served by one more fetch, not three.
  await answer(pending, 'runs.get', runView('runC', 4));
  await settle();
  expect(pending).toEqual([]);
  expect(useRunStore.getState().run?.head.seq).toBe(4);
  useRunStore.getState().open(undefined);
});
