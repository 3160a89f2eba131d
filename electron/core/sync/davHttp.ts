// One WebDAV request over node:http/https, with the response either kept (bounded) or only
// hashed as it streams. Network trouble comes back as data, never as a thrown library error, so
// the callers decide what is retryable.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface DavConnection {
  readonly protocol: 'http:' | 'https:';
  readonly agent: http.Agent;
  readonly authorization: string;
  readonly timeoutMs: number;
}

export type DavBody = { kind: 'bytes'; data: Buffer } | { kind: 'file'; path: string; length: number };

export interface DavRequest {
  method: 'GET' | 'PUT' | 'MOVE' | 'MKCOL' | 'DELETE' | 'PROPFIND' | 'OPTIONS' | 'HEAD';
  url: URL;
  headers?: Record<string, string>;
  body?: DavBody;
  /** keep the body (`bytes`) or only its SHA-256 (`hash`); either way at most `maxBytes` */
  read: { kind: 'bytes' | 'hash'; maxBytes: number };
}

export type DavAnswer =
  | {
      ok: true;
      status: number;
      headers: IncomingHttpHeaders;
      body: Buffer;
      /** SHA-256 (hex) and length of the response body as received */
      sha256: string;
      length: number;
      /** SHA-256 (hex) of the request body as sent, when there was one */
      sentSha256?: string;
    }
  | { ok: false; failure: 'network' | 'tls' | 'timeout' | 'too-large' | 'local-file'; detail: string };

export function sendDav(connection: DavConnection, request: DavRequest): Promise<DavAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: DavAnswer): void => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const headers: Record<string, string> = { authorization: connection.authorization, ...request.headers };
    if (request.body !== undefined) {
      headers['content-length'] = String(request.body.kind === 'bytes' ? request.body.data.length : request.body.length);
      headers['content-type'] ??= 'application/octet-stream';
    } else if (request.method === 'PUT') headers['content-length'] = '0';
    const send = connection.protocol === 'https:' ? https.request : http.request;
    const req = send(request.url, { method: request.method, headers, agent: connection.agent });
    const sent = createHash('sha256');
    req.setTimeout(connection.timeoutMs, () => {
      settle({ ok: false, failure: 'timeout', detail: `no answer within ${connection.timeoutMs} ms` });
      req.destroy();
    });
    req.on('error', (error) => settle({ ok: false, failure: isTlsTrustError(error) ? 'tls' : 'network', detail: networkDetail(error) }));
    req.on('response', (res) => {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > request.read.maxBytes) {
          settle({ ok: false, failure: 'too-large', detail: `answer larger than ${request.read.maxBytes} bytes` });
          req.destroy();
          return;
        }
        hash.update(chunk);
        if (request.read.kind === 'bytes') chunks.push(chunk);
      });
      res.on('error', (error) => settle({ ok: false, failure: 'network', detail: networkDetail(error) }));
      res.on('aborted', () => settle({ ok: false, failure: 'network', detail: 'answer cut off' }));
      res.on('close', () => {
        // A body cut short of its Content-Length is a network failure, never a short file.
        if (!res.complete) {
          settle({ ok: false, failure: 'network', detail: 'answer cut off' });
          return;
        }
        const answer: DavAnswer = {
          ok: true,
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          sha256: hash.digest('hex'),
          length,
        };
        if (request.body !== undefined) answer.sentSha256 = sent.digest('hex');
        settle(answer);
      });
    });
    const body = request.body;
    if (body === undefined) req.end();
    else if (body.kind === 'bytes') {
      sent.update(body.data);
      req.end(body.data);
    } else {
      const file = createReadStream(body.path);
      file.on('data', (chunk) => sent.update(chunk));
      file.on('error', (error) => {
        settle({ ok: false, failure: 'local-file', detail: networkDetail(error) });
        req.destroy();
      });
      file.pipe(req);
    }
  });
}

// Certificate problems do not heal by retrying: the technician must add the company CA or fix
// the address. Node reports them with OpenSSL's verify codes.
const TLS_TRUST_CODES = /^(CERT_|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED|DEPTH_ZERO_SELF_SIGNED|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;

function isTlsTrustError(error: unknown): boolean {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && TLS_TRUST_CODES.test(code);
}

function networkDetail(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${code}: ${error.message}`;
  }
  return String(error);
}
