import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { HOST_API_PATH, HOST_SUBPROTOCOL, tokenSubprotocol } from '../../shared/api/hostProtocol';

/** A temporary folder with a tiny built renderer and a secret file beside (not under) it. */
export function makeRendererFolder(): { base: string; rendererDir: string; dispose(): void } {
  const base = mkdtempSync(join(tmpdir(), 'fieldrun-host-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Fieldrun</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  return { base, rendererDir, dispose: () => rmSync(base, { recursive: true, force: true }) };
}

export interface OpenOptions {
  readonly token: string;
  readonly origin?: string;
}

/** Opens a real WebSocket to the host as a page would; resolves when open or rejects with the HTTP status. */
export function openSocket(port: number, options: OpenOptions): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${HOST_API_PATH}`, [HOST_SUBPROTOCOL, tokenSubprotocol(options.token)], {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one call and waits for its answer. */
export function call(ws: WebSocket, id: number, method: unknown, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onClose = (code: number): void => reject(new Error(`socket closed with ${code} while waiting for call ${id}`));
    ws.once('close', onClose);
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (message.id === id) {
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(message.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}
