// Strings of the Outbox screen. Keys start with 'outbox.'.
export const outbox = {
  'outbox.title': 'Outbox',
} as const;
