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
}

/** At most this many uploads at once: a page that opens more is misbehaving. */
const MAX_OPEN_UPLOADS = 8;

/**
 * Files the UI sends in chunks (browser mode has no paths). Each upload lives in its own folder
 * under `<dataDir>/uploads/`, under its original name (plan import decides by it), is hashed as it
 * arrives and is usable only once its size and SHA-256 match. Left-overs of an earlier process are
 * removed at start: an upload does not survive a restart.
 */
export class UploadArea {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly root: string) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  static inDataDir(dataDir: string): UploadArea {
    return new UploadArea(join(dataDir, 'uploads'));
  }

  begin(name: string, size: number, sha256: string): string {
    const open = [...this.uploads.values()].filter((u) => !u.complete).length;
    if (open >= MAX_OPEN_UPLOADS) throw new AppError('UPLOAD_INVALID', `${open} uploads are already under way. Let them finish, then try again.`);
    const uploadId = randomBytes(16).toString('hex');
    const folder = join(this.root, uploadId);
    mkdirSync(folder, { mode: 0o700 });
    const fd = openSync(join(folder, name), 'wx', 0o600);
    this.uploads.set(uploadId, { name, size, sha256, folder, fd, hash: createHash('sha256'), received: 0, complete: false });
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
    return { name: upload.name, size: upload.size, sha256 };
  }

  /** The path of a finished upload, for a method that takes it as a source. */
  pathOf(uploadId: string): string {
    const upload = this.uploads.get(uploadId);
    if (upload?.complete !== true) throw new AppError('UPLOAD_NOT_FOUND', `There is no finished upload ${uploadId}. Upload the file again.`);
    return join(upload.folder, upload.name);
  }

  discard(uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined) return;
    this.uploads.delete(uploadId);
    closeFile(upload);
    rmSync(upload.folder, { recursive: true, force: true });
  }

  close(): void {
    for (const id of [...this.uploads.keys()]) this.discard(id);
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
