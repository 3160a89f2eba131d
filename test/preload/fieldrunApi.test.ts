import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFieldrunApi, type ApiTransport } from '../../shared/api/fieldrunApi';
import { eventChannel, methodChannel } from '../../shared/api/channels';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/contract';
import type { EventName, MethodName } from '../../shared/contract';

function recordingTransport(answer: unknown = { ok: true, value: 1 }): ApiTransport & { calls: [MethodName, unknown][]; emit(e: EventName, p: unknown): void } {
  const calls: [MethodName, unknown][] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  return {
    calls,
    call: async (method, input) => {
      calls.push([method, input]);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    listen: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}

describe('the API the preload exposes', () => {
  it('has exactly one function per contract method plus subscribe, and nothing generic', () => {
    const api = buildFieldrunApi(recordingTransport());
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
    for (const generic of ['invoke', 'send', 'call', 'on', 'ipcRenderer', 'process', 'require']) expect(generic in api).toBe(false);
  });

  it('is frozen, and so is each function', () => {
    const api = buildFieldrunApi(recordingTransport()) as unknown as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    for (const key of Object.keys(api)) expect(Object.isFrozen(api[key])).toBe(true);
    expect(() => {
      api['plans.list'] = () => 'hijacked';
    }).toThrow(TypeError);
    expect(() => {
      api['invoke'] = () => 'added';
    }).toThrow(TypeError);
  });

  it('calls each method on its own channel with its single argument', async () => {
    const transport = recordingTransport();
    const api = buildFieldrunApi(transport);
    for (const method of METHOD_NAMES) {
      await (api[method] as (input: unknown) => Promise<unknown>)({ probe: method });
    }
    expect(transport.calls).toEqual(METHOD_NAMES.map((m) => [m, { probe: m }]));
    expect(new Set(METHOD_NAMES.map(methodChannel)).size).toBe(METHOD_NAMES.length);
    expect(methodChannel('plans.list')).toBe('fieldrun:plans.list');
  });

  it('turns a broken transport or an odd answer into an error result, never a throw', async () => {
    expect(await buildFieldrunApi(recordingTransport(new Error('gone')))['plans.list']({})).toMatchObject({ ok: false, error: { code: 'TRANSPORT_FAILED' } });
    expect(await buildFieldrunApi(recordingTransport('weird'))['plans.list']({})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('subscribes only to contract events and unsubscribes once', () => {
    const transport = recordingTransport();
    const api = buildFieldrunApi(transport);
    const seen: unknown[] = [];
    const unsubscribe = api.subscribe('plans.changed', (p) => seen.push(p));
    transport.emit('plans.changed', { hash: 'a' });
    unsubscribe();
    unsubscribe();
    transport.emit('plans.changed', { hash: 'b' });
    expect(seen).toEqual([{ hash: 'a' }]);
    const subscribe = api.subscribe as unknown as (e: string, l: unknown) => unknown;
    expect(() => subscribe('ipc:anything', () => undefined)).toThrow(TypeError);
    expect(() => subscribe('plans.changed', 'not a function')).toThrow(TypeError);
    expect(new Set(EVENT_NAMES.map(eventChannel)).size).toBe(EVENT_NAMES.length);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('raw IPC stays in two files', () => {
  it('uses ipcMain only in electron/main/ipcBridge.ts and ipcRenderer only in electron/preload/index.ts', () => {
    const users = ['electron', 'shared', 'renderer'].flatMap(sourceFiles).filter((f) => /\bipc(Main|Renderer)\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')));
    expect(users.sort()).toEqual([join('electron', 'main', 'ipcBridge.ts'), join('electron', 'preload', 'index.ts')]);
  });
});
