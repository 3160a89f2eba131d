// The setup check run when a technician points Fieldrun at a head-office server: in a scratch
// folder, does the server refuse to overwrite on `MOVE` with `Overwrite: F`, and does it return
// exactly the bytes it stored? A server that fails either would lose or overwrite reports, so
// sync is refused for it with the reason.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppErrorData } from '../../../shared/errors';
import { sendDav, type DavAnswer, type DavConnection } from './davHttp';
import { failureOf, isSuccess } from './davOutcome';

export type ServerCheck =
  | { safe: true; checked: string[] }
  | {
      safe: false;
      /** true when the check could not finish (network, busy server): run it again later */
      retryable: boolean;
      reason: AppErrorData;
      checked: string[];
    };

const SMALL = 64 * 1024;

export async function checkServer(connection: DavConnection, base: URL): Promise<ServerCheck> {
  const scratch = new URL(`.fieldrun-check-${randomUUID()}/`, base);
  const checked: string[] = [];
  try {
    return await runChecks(connection, base, scratch, checked);
  } finally {
    await cleanUp(connection, scratch);
  }
}

async function runChecks(connection: DavConnection, base: URL, scratch: URL, checked: string[]): Promise<ServerCheck> {
  const made = await sendDav(connection, { method: 'MKCOL', url: scratch, read: { kind: 'bytes', maxBytes: SMALL } });
  if (made.ok && made.status === 409) {
    return unsafe(checked, false, 'SYNC_BASE_MISSING', `The head-office folder ${decodeURIComponent(base.pathname)} does not exist. Check the address or ask head office to create it.`);
  }
  if (!isSuccess(made)) return failed(checked, made, 'create a scratch folder');
  checked.push('creates folders (MKCOL)');

  // Every byte value, so a server that re-encodes text or trims line ends is caught.
  const original = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);
  const incoming = randomBytes(original.length);
  const originalUrl = new URL('original.bin', scratch);
  const incomingUrl = new URL('incoming.bin', scratch);

  const put = await sendDav(connection, { method: 'PUT', url: originalUrl, body: { kind: 'bytes', data: original }, read: { kind: 'bytes', maxBytes: SMALL } });
  if (!isSuccess(put)) return failed(checked, put, 'store a test file (PUT)');
  const readBack = await sendDav(connection, { method: 'GET', url: originalUrl, read: { kind: 'hash', maxBytes: original.length * 2 } });
  if (!isSuccess(readBack)) return failed(checked, readBack, 'read the test file back (GET)');
  if (readBack.sha256 !== sha256(original)) {
    return unsafe(checked, false, 'SYNC_SERVER_UNSAFE', 'Head office returned different bytes than it stored. Sync stays off: reports could arrive corrupted. Tell head office.');
  }
  checked.push('returns the bytes it stored (PUT, GET)');

  const put2 = await sendDav(connection, { method: 'PUT', url: incomingUrl, body: { kind: 'bytes', data: incoming }, read: { kind: 'bytes', maxBytes: SMALL } });
  if (!isSuccess(put2)) return failed(checked, put2, 'store a second test file (PUT)');
  const move = await sendDav(connection, {
    method: 'MOVE',
    url: incomingUrl,
    headers: { destination: originalUrl.href, overwrite: 'F' },
    read: { kind: 'bytes', maxBytes: SMALL },
  });
  if (move.ok && move.status >= 200 && move.status < 300) {
    return unsafe(checked, false, 'SYNC_SERVER_UNSAFE', `Head office overwrote an existing file on MOVE with "Overwrite: F" (answered ${move.status}). Sync stays off: it could overwrite reports. Use a WebDAV server that honours Overwrite (nginx dav, Apache mod_dav, Nextcloud).`);
  }
  if (!(move.ok && move.status === 412)) return failed(checked, move, 'test a create-only move (MOVE, Overwrite: F)');
  const after = await sendDav(connection, { method: 'GET', url: originalUrl, read: { kind: 'hash', maxBytes: original.length * 2 } });
  if (!isSuccess(after)) return failed(checked, after, 'read the test file after the refused move');
  if (after.sha256 !== sha256(original)) {
    return unsafe(checked, false, 'SYNC_SERVER_UNSAFE', 'Head office answered 412 to a create-only move but changed the existing file anyway. Sync stays off: it could overwrite reports.');
  }
  checked.push('refuses to overwrite on MOVE with Overwrite: F (412, file intact)');
  return { safe: true, checked };
}

async function cleanUp(connection: DavConnection, scratch: URL): Promise<void> {
  // Files first, in case the server does not delete non-empty collections.
  for (const name of ['incoming.bin', 'original.bin']) {
    await sendDav(connection, { method: 'DELETE', url: new URL(name, scratch), read: { kind: 'bytes', maxBytes: SMALL } });
  }
  await sendDav(connection, { method: 'DELETE', url: scratch, headers: { depth: 'infinity' }, read: { kind: 'bytes', maxBytes: SMALL } });
}

function failed(checked: string[], answer: DavAnswer, what: string): ServerCheck {
  const failure = failureOf(answer, what);
  return { safe: false, retryable: failure.kind === 'retryable', reason: failure.error, checked };
}

function unsafe(checked: string[], retryable: boolean, code: AppErrorData['code'], message: string): ServerCheck {
  return { safe: false, retryable, reason: { code, message }, checked };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
