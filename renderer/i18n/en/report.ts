// Strings of the Report screen. Keys start with 'report.'.
export const report = {
  'report.title': 'Report',
} as const;
