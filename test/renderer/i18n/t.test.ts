// The catalogue and the Intl formatting every screen uses.
import { expect, test } from 'vitest';
import { formatBytes, formatDateTime, formatDuration, formatTime, t } from '../../../renderer/i18n/t';
import { en } from '../../../renderer/i18n/messages';

test('placeholders are filled by name; unknown ones stay visible rather than vanish', () => {
  expect(t('frame.run', { label: 'night 1' })).toBe('Run night 1');
  expect(t('frame.run')).toBe('Run {label}');
});

test('every catalogue key is namespaced and every text is non-empty', () => {
  for (const [key, text] of Object.entries(en)) {
    expect(key).toMatch(/^[a-zA-Z]+\.[\w.-]+$/);
    expect(text.trim().length, key).toBeGreaterThan(0);
  }
});

test('a time in the site zone names the zone (Intl refuses timeZoneName beside dateStyle)', () => {
  const at = '2026-03-14T23:30:00Z';
  expect(formatDateTime(at, 'America/New_York')).toMatch(/19:30:00|7:30:00/);
  expect(formatDateTime(at, 'America/New_York')).toMatch(/EDT|GMT-4/);
  expect(formatTime(at, 'Europe/Paris')).toMatch(/00:30:00|12:30:00/);
  expect(formatDateTime('not a date')).toBe('not a date');
});

test('sizes and durations read naturally', () => {
  expect(formatBytes(512)).toMatch(/512\s?byte/);
  expect(formatBytes(3 * 1024 * 1024)).toMatch(/3\s?MB/);
  expect(formatDuration(42_000)).toMatch(/42\s?s/);
  expect(formatDuration(3_900_000)).toMatch(/1\s?h 5\s?min|1h 5m/);
  expect(formatDuration(-5)).toMatch(/0\s?s/);
});
