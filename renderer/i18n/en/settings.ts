// Strings of the Settings screen. Keys start with 'settings.'.
export const settings = {
  'settings.title': 'Settings',
} as const;
