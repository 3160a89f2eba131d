// Timestamps of allowed_signers' valid-after/valid-before (misc.c parse_absolute_time):
// YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in the local time zone unless suffixed with Z or UTC.

const FORMAT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;

/** Seconds since the epoch, or undefined when the text is not such a timestamp. */
export function parseSignerTimestamp(text: string): number | undefined {
  let body = text;
  let utc = false;
  if (/z$/i.test(body) && body.length > 1) {
    utc = true;
    body = body.slice(0, -1);
  } else if (/utc$/i.test(body) && body.length > 3) {
    utc = true;
    body = body.slice(0, -3);
  }
  const match = FORMAT.exec(body);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number, number];
  const date = utc ? new Date(Date.UTC(year, month - 1, day, hour, minute, second)) : new Date(year, month - 1, day, hour, minute, second);
  // Date rolls 20240231 over into March; a calendar that does not round-trip is a typo.
  const fields = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  const wanted = [year, month, day, hour, minute, second];
  if (fields.some((value, index) => value !== wanted[index])) return undefined;
  const seconds = Math.floor(date.getTime() / 1000);
  return seconds > 0 ? seconds : undefined;
}

export function formatSignerTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
