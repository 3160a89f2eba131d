import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../electron/core/core';
import { startHost, type RunningHost } from '../../electron/host/hostServer';
import { CLOSE_CODES } from '../../shared/api/hostProtocol';
import { buildFieldrunApi } from '../../shared/api/fieldrunApi';
import { connectWebSocketTransport, type WebSocketLike } from '../../shared/api/webSocketTransport';
import { call, closed, makeRendererFolder, openSocket } from './hostLab';

let core: Core;
let host: RunningHost;
let folder: ReturnType<typeof makeRendererFolder>;
let dataDir: string;

beforeAll(async () => {
  folder = makeRendererFolder();
  symlinkSync(join(folder.base, 'secret.txt'), join(folder.rendererDir, 'link.txt'));
  dataDir = mkdtempSync(join(tmpdir(), 'fieldrun-host-data-'));
  core = createCore({ dataDir, strictOutputs: true });
  host = await startHost({ core, rendererDir: folder.rendererDir });
});

afterAll(async () => {
  await host.close();
  core.close();
  folder.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A raw HTTP GET: node's http keeps the path as written (fetch would normalise `..` away). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode host', () => {
  it('prints a loopback URL carrying a 256-bit token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong token, a missing token and a token of another length', async () => {
    const wrong = host.token.slice(0, -1) + (host.token.endsWith('0') ? '1' : '0');
    for (const token of [wrong, '', host.token + '00']) {
      await expect(openSocket(host.port, { token, origin: host.origin })).rejects.toThrow('HTTP 401');
    }
  });

  it('refuses a foreign Origin and a socket without Origin, even with the right token', async () => {
    await expect(openSocket(host.port, { token: host.token, origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket(host.port, { token: host.token, origin: `http://localhost:${host.port}` })).rejects.toThrow('HTTP 403');
    await expect(openSocket(host.port, { token: host.token })).rejects.toThrow('HTTP 403');
  });

  it('refuses a request whose Host header is not its own (DNS rebinding)', async () => {
    const answer = await get('/', { Host: `rebind.example:${host.port}` });
    expect(answer.status).toBe(403);
  });

  it('serves the renderer with the CSP, and nothing outside its folder', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Fieldrun</title>');
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(index.headers['content-security-policy'])).toContain(`ws://127.0.0.1:${host.port}`);
    expect((await get('/assets/app.js')).status).toBe(200);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2E%2E/%2E%2E/secret.txt', '/..%2fsecret.txt', '/link.txt', '/assets/..\\..\\secret.txt', '/missing.js']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('outside the renderer');
    }
  });

  it('answers a real dispatch round trip and pushes the core events', async () => {
    const ws = await openSocket(host.port, { token: host.token, origin: host.origin });
    expect(ws.protocol).toBe('fieldrun.v1');
    expect(await call(ws, 1, 'plans.list', {})).toEqual({ ok: true, value: { plans: [] } });
    const event = new Promise<unknown>((resolveEvent) => {
      ws.on('message', (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { event?: string };
        if (message.event === 'plans.changed') resolveEvent(message);
      });
    });
    const imported = (await call(ws, 2, 'plans.import', {
      source: { kind: 'path', path: resolve('resources/plans/first-plan.yaml') },
      acknowledgeUntrusted: { note: 'host round-trip test' },
    })) as { ok: boolean; value: { plan: { hash: string } } };
    expect(imported.ok).toBe(true);
    expect(await event).toEqual({ event: 'plans.changed', payload: { hash: imported.value.plan.hash } });
    const listed = (await call(ws, 3, 'plans.list', {})) as { value: { plans: { hash: string }[] } };
    expect(listed.value.plans.map((p) => p.hash)).toEqual([imported.value.plan.hash]);
    expect(await call(ws, 4, 'no.such.method', {})).toMatchObject({ ok: false, error: { code: 'METHOD_UNKNOWN' } });
    ws.close();
  });

  it('closes a socket that sends a bad message with a clear code, and keeps serving others', async () => {
    for (const bad of ['not json', JSON.stringify({ id: 'x', method: 'plans.list', input: {} }), JSON.stringify([1, 2]), JSON.stringify({ id: 1, method: 'plans.list', input: {}, extra: 1 })]) {
      const ws = await openSocket(host.port, { token: host.token, origin: host.origin });
      const done = closed(ws);
      ws.send(bad);
      const { code, reason } = await done;
      expect(code, bad).toBe(CLOSE_CODES.badMessage);
      expect(reason).toMatch(/^bad message: /);
    }
    const tooBig = await openSocket(host.port, { token: host.token, origin: host.origin });
    const done = closed(tooBig);
    tooBig.send('x'.repeat(16 * 1024 * 1024 + 1));
    expect((await done).code).toBe(1009);
    const ws = await openSocket(host.port, { token: host.token, origin: host.origin });
    expect(await call(ws, 1, 'plans.list', {})).toMatchObject({ ok: true });
    ws.close();
  });
});

describe('the shared API client over the host', () => {
  it('calls and subscribes through connectWebSocketTransport, as the page does', async () => {
    const transport = connectWebSocketTransport(`ws://127.0.0.1:${host.port}/api`, host.token, (url, protocols) => {
      const socket = new WebSocket(url, protocols, { origin: host.origin });
      return socket as unknown as WebSocketLike;
    });
    const api = buildFieldrunApi(transport);
    const listed = await api['plans.list']({});
    expect(listed.ok && listed.value.plans.length).toBe(1);
    const bad = await api['plans.get']({ hash: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    transport.close();
    expect(await api['plans.list']({})).toMatchObject({ ok: false, error: { code: 'TRANSPORT_FAILED' } });
  });
});
