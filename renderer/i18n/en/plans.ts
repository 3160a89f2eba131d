// Strings of the Plans screen. Keys start with 'plans.'.
export const plans = {
  'plans.title': 'Plans',
} as const;
