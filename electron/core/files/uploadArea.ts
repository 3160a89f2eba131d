import { createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';

interface Upload {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly folder: string;
  fd: number | undefined;
  readonly hash: Hash;
  received: number;
  complete: boolean;
  /** When a chunk last arrived, or when it finished (ms): what expiry measures from. */
  touchedAt: number;
}

/** At most this many uploads held at once (under way or finished, not yet used): a page that opens more is misbehaving. */
export const MAX_HELD_UPLOADS = 8;
/** A finished upload nobody used (its import or attachment was refused, the page went away) is dropped after this. */
export const FINISHED_UPLOAD_TTL_MS = 60 * 60 * 1000;
/** An upload with no chunk for this long was abandoned (a reload, a crash of the page). */
export const STALLED_UPLOAD_TTL_MS = 10 * 60 * 1000;

/**
 * The bytes of an upload are stored under this fixed name, never the page's: a name is data
 * (shown, journaled), and one the file system would read otherwise (an NTFS stream, a device
 * name) must never become a path.
 */
export const UPLOAD_CONTENT_FILE = 'content';

/**
 * Files the UI sends in chunks (browser mode has no paths). Each upload lives in its own folder
 * under `<dataDir>/uploads/`, its bytes under a fixed name and its original name kept as data (plan
 * import decides the kind by it), is hashed as it
 * arrives and is usable only once its size and SHA-256 match. Left-overs of an earlier process are
 * removed at start: an upload does not survive a restart. Uploads a page gave up on are dropped
 * (files.upload.discard, or expiry), so failed attempts never block the next import.
 */
export class UploadArea {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly root: string,
    private readonly now: () => number = Date.now,
  ) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  static inDataDir(dataDir: string): UploadArea {
    return new UploadArea(join(dataDir, 'uploads'));
  }

  begin(name: string, size: number, sha256: string): string {
    this.expire();
    if (this.uploads.size >= MAX_HELD_UPLOADS) {
      // Room for a new attempt goes before a finished file nobody has used yet.
      const oldestFinished = [...this.uploads.entries()].filter(([, u]) => u.complete).sort(([, a], [, b]) => a.touchedAt - b.touchedAt)[0];
      if (oldestFinished !== undefined) this.discard(oldestFinished[0]);
    }
    if (this.uploads.size >= MAX_HELD_UPLOADS) throw new AppError('UPLOAD_INVALID', `${this.uploads.size} uploads are already under way. Let them finish, then try again.`);
    const uploadId = randomBytes(16).toString('hex');
    const folder = join(this.root, uploadId);
    mkdirSync(folder, { mode: 0o700 });
    const fd = openSync(join(folder, UPLOAD_CONTENT_FILE), 'wx', 0o600);
    this.uploads.set(uploadId, { name, size, sha256, folder, fd, hash: createHash('sha256'), received: 0, complete: false, touchedAt: this.now() });
    return uploadId;
  }

  chunk(uploadId: string, offset: number, data: Buffer): number {
    const upload = this.open(uploadId);
    if (offset !== upload.received) {
      throw new AppError('UPLOAD_INVALID', `The chunk starts at byte ${offset}, but ${upload.received} bytes have arrived: send from there.`, { expectedOffset: upload.received });
    }
    if (upload.received + data.length > upload.size) {
      this.discard(uploadId);
      throw new AppError('UPLOAD_INVALID', `${upload.name} is longer than the ${upload.size} bytes announced. Start the upload again.`);
    }
    writeSync(upload.fd!, data);
    upload.hash.update(data);
    upload.received += data.length;
    upload.touchedAt = this.now();
    return upload.received;
  }

  finish(uploadId: string): { name: string; size: number; sha256: string } {
    const upload = this.open(uploadId);
    closeFile(upload);
    const sha256 = upload.hash.digest('hex');
    if (upload.received !== upload.size || sha256 !== upload.sha256) {
      this.discard(uploadId);
      throw new AppError('UPLOAD_INVALID', `${upload.name} arrived damaged (${upload.received} of ${upload.size} bytes, or another SHA-256). Upload it again.`);
    }
    upload.complete = true;
    upload.touchedAt = this.now();
    return { name: upload.name, size: upload.size, sha256 };
  }

  /** A finished upload: where its bytes are and the name the page gave it. */
  finished(uploadId: string): { path: string; name: string } {
    this.expire();
    const upload = this.uploads.get(uploadId);
    if (upload?.complete !== true) throw new AppError('UPLOAD_NOT_FOUND', `There is no finished upload ${uploadId} (it was used, discarded or expired). Upload the file again.`);
    // In use now: not the oldest to drop while the method copies from it.
    upload.touchedAt = this.now();
    return { path: join(upload.folder, UPLOAD_CONTENT_FILE), name: upload.name };
  }

  /** Drops an upload, under way or finished; true when there was one. */
  discard(uploadId: string): boolean {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined) return false;
    this.uploads.delete(uploadId);
    closeFile(upload);
    rmSync(upload.folder, { recursive: true, force: true });
    return true;
  }

  close(): void {
    for (const id of [...this.uploads.keys()]) this.discard(id);
  }

  private expire(): void {
    const now = this.now();
    for (const [id, upload] of [...this.uploads]) {
      if (now - upload.touchedAt > (upload.complete ? FINISHED_UPLOAD_TTL_MS : STALLED_UPLOAD_TTL_MS)) this.discard(id);
    }
  }

  private open(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined || upload.complete) throw new AppError('UPLOAD_NOT_FOUND', `There is no upload ${uploadId} under way. Start it again with files.upload.begin.`);
    return upload;
  }
}

function closeFile(upload: Upload): void {
  if (upload.fd !== undefined) closeSync(upload.fd);
  upload.fd = undefined;
}
