// Strings of the attachments component (photos and files of a checklist item, step or handover
// item), shared by the screens that show it. Keys start with 'attachments.'.
export const attachments = {
  'attachments.listLabel': 'Attachments of “{text}”',
  'attachments.none': 'No photo or file attached.',
  'attachments.attach': 'Attach a photo or file to “{text}”',
  'attachments.caption': 'Caption (optional)',
  'attachments.uploading': 'Sending {name}: {sent} of {size}',
  'attachments.attached': '{name} attached.',
  'attachments.tooLarge': '{name} is {size}; an attachment may be at most {limit}. Attach a smaller photo (or a shorter document), or hand the file over separately.',
  'attachments.thumbAlt': 'Photo: {name}',
  'attachments.meta': '{name} · {size}',
  'attachments.metaCaption': '{name} · {size} — {caption}',
} as const;
