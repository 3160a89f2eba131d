// One file to head office without ever overwriting: PUT to a unique temporary name in the target
// folder, MOVE it onto the real name with `Overwrite: F` (nginx ignores If-None-Match on PUT but
// honours Overwrite: F with 412), then read it back and compare SHA-256. A 412 means the name is
// taken: the same bytes count as delivered, different bytes are a conflict left untouched.
import { randomUUID } from 'node:crypto';
import type { AppErrorData } from '../../../shared/errors';
import { sendDav, type DavConnection } from './davHttp';
import { failureOf, isSuccess } from './davOutcome';

/**
 * Temporaries start with this, so a later attempt can find and remove any left behind. Not a dot
 * file: nginx's dav-ext module leaves dot files out of PROPFIND listings, so a leftover would be
 * invisible to the sweep. `~` can never start a bundle file name, so no real file matches.
 */
export const TEMPORARY_PREFIX = '~fieldrun-tmp-';

export interface LocalFile {
  /** the name on the server, already checked to be a plain file name */
  name: string;
  localPath: string;
  /** hex SHA-256 of the local file, as the manifest records it */
  sha256: string;
  length: number;
}

export type FileOutcome =
  | { name: string; kind: 'delivered'; path: string; alreadyThere: boolean }
  | {
      name: string;
      kind: 'conflict';
      path: string;
      localSha256: string;
      /** absent when the server's file is larger than ours and was not read to the end */
      serverSha256?: string;
    }
  | { name: string; kind: 'retryable'; error: AppErrorData; retryAfter?: string }
  | { name: string; kind: 'permanent'; error: AppErrorData };

const SMALL_ANSWER = 64 * 1024;
const DELETE_TRIES = 3;

export async function uploadFile(connection: DavConnection, folder: URL, file: LocalFile): Promise<FileOutcome> {
  const target = new URL(encodeURIComponent(file.name), folder);
  const temporary = new URL(encodeURIComponent(`${TEMPORARY_PREFIX}${randomUUID()}`), folder);
  const what = `upload ${file.name}`;

  const put = await sendDav(connection, {
    method: 'PUT',
    url: temporary,
    body: { kind: 'file', path: file.localPath, length: file.length },
    read: { kind: 'bytes', maxBytes: SMALL_ANSWER },
  });
  if (put.ok && put.sentSha256 !== undefined && put.sentSha256 !== file.sha256) {
    await removeTemporary(connection, temporary);
    return {
      name: file.name,
      kind: 'permanent',
      error: {
        code: 'SYNC_LOCAL_FILE_CHANGED',
        message: `The local file ${file.name} no longer matches its recorded SHA-256. It was not delivered; export the report again.`,
        details: { expected: file.sha256, actual: put.sentSha256 },
      },
    };
  }
  if (!isSuccess(put)) {
    await removeTemporary(connection, temporary);
    return { name: file.name, ...failureOf(put, what) };
  }

  const move = await sendDav(connection, {
    method: 'MOVE',
    url: temporary,
    headers: { destination: target.href, overwrite: 'F' },
    read: { kind: 'bytes', maxBytes: SMALL_ANSWER },
  });
  if (move.ok && move.status === 412) {
    await removeTemporary(connection, temporary);
    return compareExisting(connection, target, file, true);
  }
  if (!isSuccess(move)) {
    // Also after a lost answer: the move may have happened (then the DELETE finds nothing) or
    // not (then it removes the temporary); the next attempt's MOVE tells which.
    await removeTemporary(connection, temporary);
    return { name: file.name, ...failureOf(move, what) };
  }
  return compareExisting(connection, target, file, false);
}

/** Reads the server's copy and compares it with the local file by SHA-256. */
async function compareExisting(connection: DavConnection, target: URL, file: LocalFile, alreadyThere: boolean): Promise<FileOutcome> {
  const get = await sendDav(connection, { method: 'GET', url: target, read: { kind: 'hash', maxBytes: Math.max(file.length, SMALL_ANSWER) } });
  const path = decodeURIComponent(target.pathname);
  if (get.ok && get.status === 200 && get.sha256 === file.sha256) return { name: file.name, kind: 'delivered', path, alreadyThere };
  if (get.ok && get.status === 200) {
    if (alreadyThere) return { name: file.name, kind: 'conflict', path, localSha256: file.sha256, serverSha256: get.sha256 };
    // We moved our bytes there and read back others: the server altered or lost them.
    return {
      name: file.name,
      kind: 'permanent',
      error: {
        code: 'SYNC_VERIFY_FAILED',
        message: `Head office returned different content for ${file.name} right after storing it. The server copy was left as it is; tell head office.`,
        details: { path, expected: file.sha256, actual: get.sha256 },
      },
    };
  }
  if (get.ok && get.status === 404) {
    // Gone between our MOVE and this read (someone cleaned up): try the whole file again later.
    return {
      name: file.name,
      kind: 'retryable',
      error: { code: 'SYNC_VERIFY_FAILED', message: `${file.name} was not found on head office right after the upload. Fieldrun will upload it again.`, details: { path } },
    };
  }
  if (!get.ok && get.failure === 'too-large') {
    if (alreadyThere) return { name: file.name, kind: 'conflict', path, localSha256: file.sha256 };
  }
  return { name: file.name, ...failureOf(get, `read back ${file.name}`) };
}

/** Removes our temporary; a missing one (already moved, never written) is fine. */
export async function removeTemporary(connection: DavConnection, temporary: URL): Promise<boolean> {
  for (let i = 0; i < DELETE_TRIES; i++) {
    const answer = await sendDav(connection, { method: 'DELETE', url: temporary, read: { kind: 'bytes', maxBytes: SMALL_ANSWER } });
    if (answer.ok && (answer.status === 404 || isSuccess(answer))) return true;
  }
  return false;
}
