export { uploadFile, type UploadOptions, type UploadResult } from './uploadFile';
export { remoteSha256 } from './remoteSha256';
