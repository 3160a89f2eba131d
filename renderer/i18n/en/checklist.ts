// Strings of the Checklist screen. Keys start with 'checklist.'.
export const checklist = {
  'checklist.title': 'Checklist',
} as const;
