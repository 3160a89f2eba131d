// A userspace TCP proxy that delays every chunk by a fixed time in both directions. This kernel
// has no sch_netem (PEERS.md), so latency is added here, in the test process.
import { createServer, connect, type Socket } from 'node:net';
import type { LatencyProxy } from './types';

/** Bytes in flight per direction before the sending side is paused (back-pressure). */
const MAX_QUEUED = 4 * 1024 * 1024;

function delayedPipe(from: Socket, to: Socket, delayMs: number): void {
  let queued = 0;
  from.on('data', (chunk: Buffer) => {
    queued += chunk.length;
    if (queued > MAX_QUEUED) from.pause();
    // Equal delays keep order: Node runs timers of equal duration in the order they were set.
    setTimeout(() => {
      queued -= chunk.length;
      if (!to.destroyed) to.write(chunk);
      if (queued <= MAX_QUEUED && from.isPaused()) from.resume();
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), delayMs));
}

export async function startLatencyProxy(target: { address: string; port: number }, delayMs: number): Promise<LatencyProxy> {
  if (!(delayMs >= 0)) throw new Error(`latency must be a non-negative number of ms, got ${delayMs}`);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    client.setNoDelay(true);
    const upstream = connect({ host: target.address, port: target.port });
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayedPipe(client, upstream, delayMs);
    delayedPipe(upstream, client, delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('latency proxy did not get a TCP port');
  let closed = false;
  return {
    address: '127.0.0.1',
    port: addr.port,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
