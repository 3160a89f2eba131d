import type { z } from 'zod';
import type { fileMethods } from '../../../../shared/contract/files';
import type { UploadArea } from '../../files/uploadArea';

type FileMethods = typeof fileMethods;
type FileHandlers = {
  [M in keyof FileMethods]: (input: z.output<FileMethods[M]['input']>) => z.output<FileMethods[M]['output']>;
};

/** Chunked uploads (see shared/contract/files.ts). */
export function fileHandlers(uploads: UploadArea): FileHandlers {
  return {
    'files.upload.begin': ({ name, size, sha256 }) => ({ uploadId: uploads.begin(name, size, sha256) }),
    'files.upload.chunk': ({ uploadId, offset, data }) => ({ received: uploads.chunk(uploadId, offset, Buffer.from(data, 'base64')) }),
    'files.upload.finish': ({ uploadId }) => ({ uploadId, ...uploads.finish(uploadId) }),
    'files.upload.discard': ({ uploadId }) => ({ discarded: uploads.discard(uploadId) }),
  };
}
