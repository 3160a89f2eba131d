// A stand-in for an unwell head-office front end (a load balancer in trouble): it answers the
// next `refusals` requests itself with a chosen status and headers, and passes everything else
// through to the real nginx untouched, streaming both ways.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UnwellFront {
  readonly url: string;
  /** how many of the next requests it refuses */
  refusals: number;
  answer: { status: number; headers: Record<string, string> };
  /** requests passed through to nginx */
  passed: number;
  close(): Promise<void>;
}

export async function startUnwellFront(upstreamPort: number): Promise<UnwellFront> {
  const agent = new http.Agent({ keepAlive: true });
  const front: UnwellFront = {
    url: '',
    refusals: 0,
    answer: { status: 503, headers: {} },
    passed: 0,
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    if (front.refusals > 0) {
      front.refusals--;
      req.resume();
      const text = `${front.answer.status} from the unwell front\n`;
      res.writeHead(front.answer.status, { ...front.answer.headers, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    front.passed++;
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (front as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return front;
}
