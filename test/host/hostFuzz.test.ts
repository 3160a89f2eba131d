import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createDispatcher, type Handlers } from '../../electron/core/api/dispatch';
import { EventHub } from '../../electron/core/api/eventHub';
import { startHost, type RunningHost } from '../../electron/host/hostServer';
import { contract, METHOD_NAMES } from '../../shared/contract';
import { CLOSE_CODES } from '../../shared/api/hostProtocol';
import { call, closed, makeRendererFolder, openSocket } from './hostLab';

// The real dispatcher and the real host, with handlers that only count: the question is whether
// any handler ever runs on input its schema refuses, whatever arrives over the WebSocket.
const calls = new Map<string, number>();
const countingHandlers = Object.fromEntries(
  METHOD_NAMES.map((m) => [
    m,
    () => {
      calls.set(m, (calls.get(m) ?? 0) + 1);
      throw new Error('a handler ran');
    },
  ]),
) as unknown as Handlers;

let host: RunningHost;
let ws: WebSocket;
let folder: ReturnType<typeof makeRendererFolder>;

beforeAll(async () => {
  folder = makeRendererFolder();
  host = await startHost({ core: { dispatch: createDispatcher(countingHandlers), events: new EventHub() }, rendererDir: folder.rendererDir });
  ws = await openSocket(host.port, { token: host.token, origin: host.origin });
});

afterAll(async () => {
  ws.close();
  await host.close();
  folder.dispose();
});

// Shapes that have broken input parsers before: wrong types, prototype keys, huge and odd strings.
const hostile = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom(null, [], '', 0, -1, 1e308, true, 'plans.list', { __proto__: { polluted: true } }, JSON.parse('{"__proto__":{"x":1}}') as unknown, { constructor: { prototype: {} } }),
  fc.dictionary(fc.constantFrom('hash', 'source', 'path', 'kind', 'runId', 'expectSeq', 'text', 'fileName', 'note'), fc.anything({ maxDepth: 2 })),
  fc.record({ source: fc.record({ kind: fc.string(), path: fc.oneof(fc.string(), fc.integer()) }) }),
);

describe('every contract method over the WebSocket, with malformed arguments', () => {
  it('answers INPUT_INVALID and runs no handler', async () => {
    let id = 0;
    let tried = 0;
    for (const method of METHOD_NAMES) {
      await fc.assert(
        fc.asyncProperty(hostile, async (input) => {
          // What the host receives is the JSON of the input (undefined members vanish). Only inputs
          // the contract refuses are the point; the few that happen to be valid are skipped.
          const onTheWire: unknown = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
          fc.pre(!contract[method].input.safeParse(onTheWire).success);
          tried += 1;
          const result = await call(ws, ++id, method, onTheWire);
          expect(result).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
        }),
        { numRuns: 60 },
      );
    }
    expect(tried).toBeGreaterThan(METHOD_NAMES.length * 40);
    expect([...calls.entries()]).toEqual([]);
  });

  it('refuses the method name itself when it is not a contract method', async () => {
    for (const method of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'plans', 'plans.list ', 'PLANS.LIST']) {
      expect(await call(ws, 1_000_000, method, {})).toMatchObject({ ok: false, error: { code: 'METHOD_UNKNOWN' } });
    }
    expect([...calls.entries()]).toEqual([]);
  });
});

describe('frames that are not calls', () => {
  it('close only the sending socket with the bad-message code; the host keeps serving', async () => {
    const notACall = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'undefined'),
      fc.record({ id: fc.oneof(fc.string(), fc.double(), fc.constant(-1)), method: fc.string(), input: fc.anything() }).map((v) => JSON.stringify(v)),
    ).filter((text) => {
      try {
        const v = JSON.parse(text) as { id?: unknown; method?: unknown };
        return !(typeof v === 'object' && v !== null && Number.isInteger(v.id) && (v.id as number) >= 0 && typeof v.method === 'string' && v.method !== '');
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(notACall, async (text) => {
        const socket = await openSocket(host.port, { token: host.token, origin: host.origin });
        const done = closed(socket);
        socket.send(text);
        expect((await done).code).toBe(CLOSE_CODES.badMessage);
      }),
      { numRuns: 40 },
    );
    expect(await call(ws, 2_000_000, 'plans.list', 'not an object')).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect([...calls.entries()]).toEqual([]);
  });
});
