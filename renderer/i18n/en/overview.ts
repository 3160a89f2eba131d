// Strings of the Overview screen. Keys start with 'overview.'.
export const overview = {
  'overview.title': 'Overview',
} as const;
