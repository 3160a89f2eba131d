// A TCP proxy in front of the nginx head office that can slow what the laptop sends to a trickle,
// like a weak mobile uplink, so a test can kill Fieldrun in the middle of an upload. Bytes are
// passed through unchanged; only their pace changes.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ThrottleProxy {
  readonly url: string;
  /** upload pace in bytes per second; 0 passes everything at once */
  bytesPerSecond: number;
  /** bytes sent towards the server while throttled */
  readonly throttledBytes: number;
  close(): Promise<void>;
}

const SLICE = 1024;

export async function startThrottleProxy(upstreamPort: number): Promise<ThrottleProxy> {
  const sockets = new Set<net.Socket>();
  let throttledBytes = 0;
  const proxy = {
    url: '',
    bytesPerSecond: 0,
    get throttledBytes() {
      return throttledBytes;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (proxy.bytesPerSecond <= 0) {
        upstream.write(chunk);
        return;
      }
      client.pause();
      let offset = 0;
      const next = (): void => {
        if (upstream.destroyed) return;
        if (offset >= chunk.length) {
          client.resume();
          return;
        }
        const slice = chunk.subarray(offset, offset + SLICE);
        offset += slice.length;
        throttledBytes += slice.length;
        upstream.write(slice);
        // unref: a trickle stalled for minutes must not keep the test process alive.
        setTimeout(next, proxy.bytesPerSecond <= 0 ? 0 : (slice.length / proxy.bytesPerSecond) * 1000).unref();
      };
      next();
    });
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return proxy;
}
