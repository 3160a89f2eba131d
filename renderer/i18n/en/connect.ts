// Strings of the Connect screen. Keys start with 'connect.'.
export const connect = {
  'connect.title': 'Connect',
} as const;
