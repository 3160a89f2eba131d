// Where head office is and how to reach it safely: HTTPS everywhere except loopback, the
// company CA added to (not replacing) the public roots, credentials only in headers.
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { AppError } from '../../../shared/errors';
import type { DavConnection } from './davHttp';

export type HeadOfficeAuth = { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

export interface OpenConnection extends DavConnection {
  readonly base: URL;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The base URL, checked; always ends with `/` so relative paths resolve beneath it. */
export function parseBaseUrl(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new AppError('SYNC_CONFIG_INVALID', 'The head-office address is not a valid URL. Enter it as https://host/path/.');
  }
  if (base.username !== '' || base.password !== '') {
    throw new AppError('SYNC_CONFIG_INVALID', 'The head-office address contains credentials. Remove them from the URL and enter them in the credential fields.');
  }
  if (base.search !== '' || base.hash !== '') {
    throw new AppError('SYNC_CONFIG_INVALID', 'The head-office address has a query or fragment. Enter only the folder URL, like https://host/reports/.');
  }
  if (base.protocol === 'http:' && !isLoopbackHost(base.hostname)) {
    throw new AppError('SYNC_URL_INSECURE', `Plain http:// to ${base.hostname} would send reports and credentials unencrypted. Use an https:// address.`, {
      host: base.hostname,
    });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new AppError('SYNC_CONFIG_INVALID', `The head-office address must start with https:// (got ${base.protocol}).`);
  }
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return base;
}

function authorizationHeader(auth: HeadOfficeAuth): string {
  if (auth.kind === 'basic') {
    if (auth.user === '' || auth.user.includes(':')) {
      throw new AppError('SYNC_CONFIG_INVALID', 'The head-office user name is empty or contains ":". Enter the user name head office gave you.');
    }
    return `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
  }
  if (!/^[\x21-\x7e]+$/.test(auth.token)) {
    throw new AppError('SYNC_CONFIG_INVALID', 'The head-office token is empty or contains spaces or non-ASCII characters. Paste the token again.');
  }
  return `Bearer ${auth.token}`;
}

export function openConnection(options: { baseUrl: string; auth: HeadOfficeAuth; ca?: string; timeoutMs?: number }): OpenConnection {
  const base = parseBaseUrl(options.baseUrl);
  const authorization = authorizationHeader(options.auth);
  const protocol = base.protocol === 'https:' ? 'https:' : 'http:';
  // keepAlive: an upload is a dozen small requests; one TLS handshake instead of a dozen.
  const agent =
    protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 4, ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }) })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    base,
    protocol,
    agent,
    authorization,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    close: () => agent.destroy(),
  };
}
