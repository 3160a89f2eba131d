// Text and formatting for the UI. Every string comes from the catalogue by key, with `{name}`
// placeholders; numbers, sizes, dates and durations go through Intl, in the technician's locale.
import { en, type MessageKey } from './messages';

export type { MessageKey };
type Params = Readonly<Record<string, string | number>>;

const catalogue: Readonly<Record<MessageKey, string>> = en;

export function t(key: MessageKey, params?: Params): string {
  // A key built at run time (e.g. from a phase name) may be missing: show the key, never crash.
  const text = (catalogue as Readonly<Record<string, string | undefined>>)[key] ?? key;
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const locale = (): string | undefined => (typeof navigator === 'undefined' ? undefined : navigator.language);

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

/** A date and time; in the named IANA time zone (the site's) when given, else the laptop's. */
export function formatDateTime(iso: string | number | Date, timeZone?: string): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  // Intl refuses timeZoneName beside dateStyle/timeStyle: with a zone, name the fields instead.
  const options: Intl.DateTimeFormatOptions =
    timeZone === undefined
      ? { dateStyle: 'medium', timeStyle: 'medium' }
      : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone, timeZoneName: 'short' };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

export function formatTime(iso: string | number | Date, timeZone?: string): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options: Intl.DateTimeFormatOptions =
    timeZone === undefined ? { timeStyle: 'medium' } : { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone, timeZoneName: 'short' };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

/** A duration like "1 h 05 min" or "42 s" (never negative: the caller says "overdue"). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const unit = (value: number, u: 'hour' | 'minute' | 'second'): string =>
    new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(value);
  if (hours > 0) return `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
  if (minutes > 0) return `${unit(minutes, 'minute')} ${unit(seconds, 'second')}`;
  return unit(seconds, 'second');
}
