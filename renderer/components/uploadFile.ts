// Sends a File picked or dropped in the page to the core with files.upload.* (1 MiB chunks, the
// whole file's SHA-256 checked by the core at the end), so import and attachments work the same
// in the browser and in Electron. Answers the upload id to name as a source. An upload that fails,
// or that the page will not use after all, is discarded: the core holds only a few at a time.
import { MAX_UPLOAD_CHUNK_BYTES } from '../../shared/contract/files';
import { call } from '../api/api';
import { bytesToBase64, hexOf } from './base64';

export interface UploadProgress {
  readonly sent: number;
  readonly size: number;
}

export async function uploadFile(file: File, onProgress?: (progress: UploadProgress) => void): Promise<string> {
  // crypto.subtle has no incremental digest: the file is read whole (plans and photos are small;
  // an archive of a few hundred MiB still fits in the page's memory).
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sha256 = hexOf(await crypto.subtle.digest('SHA-256', bytes));
  const { uploadId } = await call('files.upload.begin', { name: file.name, size: bytes.length, sha256 });
  try {
    onProgress?.({ sent: 0, size: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += MAX_UPLOAD_CHUNK_BYTES) {
      const chunk = bytes.subarray(offset, offset + MAX_UPLOAD_CHUNK_BYTES);
      await call('files.upload.chunk', { uploadId, offset, data: bytesToBase64(chunk) });
      onProgress?.({ sent: offset + chunk.length, size: bytes.length });
    }
    await call('files.upload.finish', { uploadId });
    return uploadId;
  } catch (error) {
    await discardUpload(uploadId);
    throw error;
  }
}

/**
 * Drops an upload the page will not use (its import or attachment was refused). Best effort: if
 * the core cannot be reached now, the upload expires there on its own; the technician is shown
 * the error that mattered, not this one.
 */
export async function discardUpload(uploadId: string): Promise<void> {
  try {
    await call('files.upload.discard', { uploadId });
  } catch {
    // Expiry in the core cleans up what this could not.
  }
}
