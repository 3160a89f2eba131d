/** Photos the browser shows and small enough to read in one runs.attachments.read answer (at most 4 MiB). */
export const MAX_THUMBNAIL_BYTES = 4 * 1024 * 1024;

export function isThumbnail(attachment: { readonly mediaType: string; readonly size: number }): boolean {
  return /^image\/(png|jpeg|gif|webp)$/.test(attachment.mediaType) && attachment.size > 0 && attachment.size <= MAX_THUMBNAIL_BYTES;
}
