// Strings of the Baseline screen. Keys start with 'baseline.'.
export const baseline = {
  'baseline.title': 'Baseline',
} as const;
