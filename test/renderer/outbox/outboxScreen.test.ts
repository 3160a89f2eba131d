import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { en } from '../../../renderer/i18n/messages';
import { explanationKey, fixKey, pointsToSettings, stateLabelKey, type OutboxState } from '../../../renderer/screens/outbox/outboxAdvice';
import { relativeTime, skewText } from '../../../renderer/screens/outbox/relativeTime';
import { mergeLogPages } from '../../../renderer/screens/outbox/syncLogPages';

const NOW = Date.parse('2026-12-05T22:00:00Z');
const STATES: OutboxState[] = ['queued', 'sending', 'delivered', 'conflict', 'failed-permanently'];

describe('outbox: next attempt and clock skew', () => {
  it('says when the next attempt is in the largest readable unit', () => {
    expect(relativeTime('2026-12-05T22:00:30Z', NOW, 'en')).toBe('in 30 seconds');
    expect(relativeTime('2026-12-05T22:02:10Z', NOW, 'en')).toBe('in 2 minutes');
    expect(relativeTime('2026-12-05T19:00:00Z', NOW, 'en')).toBe('3 hours ago');
    expect(relativeTime('2026-12-06T22:00:00Z', NOW, 'en')).toBe('tomorrow');
    expect(relativeTime('2026-12-05T22:00:00Z', NOW, 'en')).toBe('now');
    expect(relativeTime('not a time', NOW, 'en')).toBe('not a time');
  });

  it('gives a clock skew without its sign, in seconds or minutes', () => {
    expect(skewText(-42_400, 'en')).toBe('42 sec');
    expect(skewText(300_000, 'en')).toBe('5 min');
  });
});

describe('outbox: what each state and error tells the technician', () => {
  it('every state has a label and an explanation in the catalogue; a conflict says nothing was overwritten', () => {
    for (const state of STATES) {
      expect(en[stateLabelKey(state)]).toBeTruthy();
      expect(en[explanationKey(state)]).toBeTruthy();
    }
    expect(en[explanationKey('conflict')]).toMatch(/Nothing was overwritten/);
    expect(en[explanationKey('conflict')]).toMatch(/both copies are kept/);
    expect(en[explanationKey('conflict')]).toMatch(/Call head office/);
  });

  it('each fix names a real error code and exists in the catalogue', () => {
    const fixes = Object.keys(en).filter((k) => k.startsWith('outbox.fix.'));
    expect(fixes.length).toBeGreaterThan(5);
    for (const key of fixes) {
      const code = key.slice('outbox.fix.'.length);
      expect(ERROR_CODES as readonly string[]).toContain(code);
      expect(fixKey(code)).toBe(key);
    }
    expect(fixKey('SOMETHING_NEW')).toBeUndefined();
    expect(pointsToSettings('SYNC_AUTH_FAILED')).toBe(true);
    expect(pointsToSettings('SYNC_UNREACHABLE')).toBe(false);
  });
});

describe('outbox: the sync log pages', () => {
  const rec = (id: number) => ({ id, at: '2026-12-05T22:00:00Z', outboxId: 1, event: 'attempt', message: `m${id}` });
  it('merges the refreshed newest page with older pages, each record once, newest first', () => {
    const merged = mergeLogPages([rec(12), rec(11), rec(10)], [rec(10), rec(9), rec(8)]);
    expect(merged.map((r) => r.id)).toEqual([12, 11, 10, 9, 8]);
  });
});
