// Strings of the Handover screen. Keys start with 'handover.'.
export const handover = {
  'handover.title': 'Handover',
} as const;
