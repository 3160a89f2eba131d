// Outage times are RFC 3339 timestamps that carry their offset (2026-12-05T22:00:00+01:00 or
// …Z): a time without an offset means different instants on the technician's laptop and at the
// site, which is exactly the mistake the format exists to prevent.
export const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

export const TIMESTAMP_EXPECTED = 'a date and time with its offset, such as 2026-12-05T22:00:00+01:00';

/** Milliseconds since the epoch, or undefined when `text` is not an RFC 3339 time with offset. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP_PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, fraction) - offsetMinutes * 60_000;
}

/** The offset written in the timestamp, in minutes east of UTC (undefined if not a timestamp). */
export function timestampOffsetMinutes(text: string): number | undefined {
  const m = TIMESTAMP_PATTERN.exec(text);
  if (!m) return undefined;
  if (m[8] === 'Z') return 0;
  return (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
}

export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `instant`, in minutes east (undefined if the runtime cannot tell). */
export function zoneOffsetMinutes(zone: string, instant: number): number | undefined {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value;
    if (name === undefined) return undefined;
    if (name === 'GMT') return 0;
    const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
    if (!m) return undefined;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  } catch {
    return undefined;
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
