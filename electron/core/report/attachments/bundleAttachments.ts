import type { RunAttachment } from '../../../../shared/run';
import type { BundleAttachment } from '../writeBundle';
import type { AttachmentStore } from './attachmentStore';
import { attachmentBundleName } from './bundleName';
import { INLINE_IMAGE_TYPES } from './mediaType';

/** A photo up to this size is shown inside report.html; a larger one is named with its hash. */
export const MAX_INLINE_IMAGE_BYTES = 2 * 1024 * 1024;
/** All inline photos together stay under this, so report.html still opens quickly on any laptop. */
const MAX_INLINE_TOTAL_BYTES = 24 * 1024 * 1024;

/** The run's attachments as bundle files: one file per distinct (bytes, name), each checked to be in the store (and its bytes against the journaled SHA-256 as they are copied). */
export async function bundleAttachmentsOf(attachments: readonly RunAttachment[], store: AttachmentStore): Promise<BundleAttachment[]> {
  const files = new Map<string, BundleAttachment>();
  for (const attachment of attachments) {
    const name = attachmentBundleName(attachment.sha256, attachment.name);
    if (!files.has(name)) files.set(name, { name, localPath: await store.existingPathOf(attachment.sha256, attachment.name), sha256: attachment.sha256 });
  }
  return [...files.values()];
}

/** Base64 bytes of the photos report.html shows inline, by SHA-256 (each read and checked against its hash). */
export async function inlineImagesOf(attachments: readonly RunAttachment[], store: AttachmentStore): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  let total = 0;
  for (const attachment of attachments) {
    if (!INLINE_IMAGE_TYPES.has(attachment.mediaType) || attachment.size > MAX_INLINE_IMAGE_BYTES || images.has(attachment.sha256)) continue;
    if (total + attachment.size > MAX_INLINE_TOTAL_BYTES) continue;
    images.set(attachment.sha256, (await store.read(attachment.sha256, attachment.name)).toString('base64'));
    total += attachment.size;
  }
  return images;
}
