// A small HTTP proxy between Fieldrun and the nginx head office that misbehaves on a seeded
// schedule, like hotel Wi-Fi and overloaded servers do: it drops connections before or after the
// server acted, answers 500/503 with Retry-After without asking the server, cuts request bodies
// half way to the server, and cuts responses mid-body. Bodies are small, so it buffers them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAULTS = ['drop-before', 'drop-after', 'error-500', 'error-503', 'cut-request', 'cut-response'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxy {
  readonly url: string;
  /** probability (0..1) that a request meets a fault; 0 lets everything through */
  faultRate: number;
  /** how often each fault was applied */
  readonly applied: Record<Fault, number>;
  requests: number;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, so a failing schedule can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Upstream {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

export async function startFaultProxy(options: { upstreamPort: number; seed: number; faultRate: number; /** the clock HTTP-date Retry-After values are based on */ now?: () => number }): Promise<FaultProxy> {
  const random = seededRandom(options.seed);
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const applied = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;

  const forward = (req: http.IncomingMessage, body: Buffer, cutAfter?: number): Promise<Upstream | undefined> =>
    new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      const up = http.request({ host: '127.0.0.1', port: options.upstreamPort, method: req.method, path: req.url, headers, agent: upstreamAgent });
      up.on('error', () => resolve(undefined));
      up.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => resolve(undefined));
        res.on('end', () => {
          const out: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
          const data = Buffer.concat(chunks);
          out['content-length'] = String(data.length);
          resolve({ status: res.statusCode ?? 502, headers: out, body: data });
        });
      });
      if (cutAfter === undefined) up.end(body);
      else {
        // Half the body reaches the server, then the link dies: the server must not keep it.
        up.write(body.subarray(0, cutAfter), () => setTimeout(() => up.destroy(), 5));
        setTimeout(() => resolve(undefined), 20);
      }
    });

  const proxy: FaultProxy = {
    url: '',
    faultRate: options.faultRate,
    applied,
    requests: 0,
    close: () =>
      new Promise((resolve) => {
        upstreamAgent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    proxy.requests++;
    const fault: Fault | undefined = random() < proxy.faultRate ? FAULTS[Math.floor(random() * FAULTS.length)] : undefined;
    const retryAfterSeconds = 1 + Math.floor(random() * 30);
    if (fault === 'drop-before') {
      applied[fault]++;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        if (fault === 'error-500' || fault === 'error-503') {
          applied[fault]++;
          const text = Buffer.from(`${fault === 'error-500' ? 500 : 503} from the fault proxy\n`);
          // 503 says seconds; 500 says an HTTP-date, so both forms are exercised.
          const retryAfter = fault === 'error-503' ? String(retryAfterSeconds) : new Date((options.now ?? Date.now)() + retryAfterSeconds * 1000).toUTCString();
          res.writeHead(fault === 'error-500' ? 500 : 503, { 'retry-after': retryAfter, 'content-length': text.length });
          res.end(text);
          return;
        }
        if (fault === 'cut-request' && body.length > 1) {
          applied[fault]++;
          await forward(req, body, Math.floor(body.length / 2));
          req.socket.destroy();
          return;
        }
        const answer = await forward(req, body);
        if (answer === undefined) {
          res.writeHead(502, { 'content-length': 0 });
          res.end();
          return;
        }
        if (fault === 'drop-after' || (fault === 'cut-response' && answer.body.length < 2) || (fault === 'cut-request' && body.length <= 1)) {
          // The server acted; the client never hears of it.
          applied[fault]++;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers);
        if (fault === 'cut-response') {
          applied[fault]++;
          res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => req.socket.destroy());
          return;
        }
        res.end(answer.body);
      })();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  (proxy as { url: string }).url = `http://127.0.0.1:${port}/`;
  return proxy;
}
