// Strings of the Deploy screen. Keys start with 'deploy.'.
export const deploy = {
  'deploy.title': 'Deploy',
} as const;
