// Durations in plans are written the way people say them: 90s, 5m, 1h30m, 2d, 500ms. Units in
// descending order, each at most once; no spaces, no fractions, so there is one way to write each.
export const DURATION_PATTERN = /^(?=.)(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m(?!s))?(?:(\d{1,7})s)?(?:(\d{1,9})ms)?$/;

const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1_000, 1] as const;

export const DURATION_EXPECTED = 'a duration such as 90s, 5m, 1h30m or 500ms';

/** Milliseconds, or undefined when `text` is not a duration. */
export function tryParseDuration(text: string): number | undefined {
  if (text === '') return undefined;
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  let total = 0;
  UNIT_MS.forEach((unit, i) => {
    const digits = match[i + 1];
    if (digits !== undefined) total += Number(digits) * unit;
  });
  return total;
}

/** '90s' -> 90000, '1h30m' -> 5400000. Throws a RangeError on text that is not a duration. */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new RangeError(`not a duration: ${JSON.stringify(text)} (expected ${DURATION_EXPECTED})`);
  return ms;
}
