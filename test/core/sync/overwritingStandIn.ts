// A STAND-IN, not a real peer: a tiny in-memory WebDAV server that behaves the way the setup
// check must refuse — it overwrites on MOVE whatever `Overwrite` says, or (with `mangle`) returns
// different bytes than it stored. No real server we support does this, so it cannot be had
// otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInServer {
  readonly url: string;
  readonly files: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startOverwritingStandIn(options: { mangle?: boolean } = {}): Promise<StandInServer> {
  const files = new Map<string, Buffer>();
  const folders = new Set<string>(['/']);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const reply = (status: number, body: Buffer = Buffer.alloc(0)): void => {
        res.writeHead(status, { 'content-length': body.length, date: new Date().toUTCString() });
        res.end(body);
      };
      switch (req.method) {
        case 'MKCOL':
          folders.add(path);
          return reply(201);
        case 'PUT':
          files.set(path, Buffer.concat(chunks));
          return reply(201);
        case 'GET': {
          const data = files.get(path);
          if (data === undefined) return reply(404);
          return reply(200, options.mangle === true ? Buffer.from(data.toString('utf8'), 'utf8') : data);
        }
        case 'MOVE': {
          const data = files.get(path);
          const destination = req.headers.destination;
          if (data === undefined || typeof destination !== 'string') return reply(404);
          const target = decodeURIComponent(new URL(destination).pathname);
          const existed = files.has(target);
          files.set(target, data); // the flaw: Overwrite: F is ignored
          files.delete(path);
          return reply(existed ? 204 : 201);
        }
        case 'DELETE':
          for (const name of [...files.keys()]) if (name === path || name.startsWith(path.endsWith('/') ? path : `${path}/`)) files.delete(name);
          folders.delete(path);
          return reply(204);
        case 'PROPFIND':
          return reply(folders.has(path) ? 207 : 404, Buffer.from('<D:multistatus xmlns:D="DAV:"></D:multistatus>'));
        default:
          return reply(405);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    files,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
