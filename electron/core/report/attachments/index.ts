// Photos and files the technician attaches to a checklist item, a step or a handover item: stored
// by SHA-256 in the data folder, journaled, and carried into the signed report bundle.
export { AttachmentStore, MAX_ATTACHMENT_BYTES, type StoredAttachment } from './attachmentStore';
export { requireTargetInPlan, targetKey, targetLabel } from './attachmentTarget';
export { attachmentBundleName, plainFileName } from './bundleName';
export { INLINE_IMAGE_TYPES, MEDIA_TYPES, MediaTypeSniffer, mediaTypeOf, type AttachmentMediaType } from './mediaType';
export { bundleAttachmentsOf, inlineImagesOf, MAX_INLINE_IMAGE_BYTES } from './bundleAttachments';
