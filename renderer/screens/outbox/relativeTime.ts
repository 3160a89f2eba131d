// "in 2 minutes", "3 hours ago": a moment relative to now, in the technician's locale, in the
// largest unit that keeps it readable.

const UNITS: readonly { unit: Intl.RelativeTimeFormatUnit; ms: number }[] = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
  { unit: 'second', ms: 1000 },
];

export function relativeTime(iso: string, now: number, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const diff = at - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const { unit, ms } of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return format.format(Math.round(diff / ms), unit);
  }
  return format.format(0, 'second');
}

/** A clock difference in whole seconds (or minutes past two), sign-free: "42 s", "5 min". */
export function skewText(ms: number, locale?: string): string {
  const abs = Math.abs(ms);
  const [value, unit] = abs >= 120_000 ? [Math.round(abs / 60_000), 'minute'] : [Math.round(abs / 1000), 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}
