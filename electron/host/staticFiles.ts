import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentSecurityPolicy, RENDERER_RESPONSE_HEADERS } from '../shared-transport/contentSecurityPolicy';
import { mimeTypeOf, resolveRendererFile } from '../shared-transport/rendererFiles';

/** Serves the built renderer: GET/HEAD only, files under `root` only, with the CSP on every answer. */
export function serveRendererFile(request: IncomingMessage, response: ServerResponse, root: string, wsOrigin: string): void {
  const headers = { ...RENDERER_RESPONSE_HEADERS, 'Content-Security-Policy': contentSecurityPolicy([wsOrigin]) };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
    return;
  }
  const file = resolveRendererFile(root, request.url ?? '/');
  if (file === undefined) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found\n');
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': mimeTypeOf(file) });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
