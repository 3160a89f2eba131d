import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../../shared/plan';
import { INITIAL_RUN_STATE, timeStatus } from '../../../shared/run';
import { contactsWithBackups } from '../../../renderer/screens/overview/contacts';
import { relativeToNow, windowLines } from '../../../renderer/screens/overview/countdown';
import { formatDateTime } from '../../../renderer/i18n/t';
import { readFileSync } from 'node:fs';

const MIN = 60_000;

function firstPlan(): Plan {
  const parsed = parsePlan(readFileSync('resources/plans/first-plan.yaml', 'utf8'), { fileName: 'plan.yaml' });
  if (!parsed.ok) throw new Error('the first plan should parse');
  return parsed.plan;
}

describe('the outage window in words', () => {
  it('says how far a moment is, before or after now', () => {
    expect(relativeToNow(65 * MIN, 0)).toMatch(/^in 1h 5m(in)?$/);
    expect(relativeToNow(0, 3 * MIN + 10_000)).toMatch(/^3m(in)? 10s ago$/);
    expect(relativeToNow(1000, 1000)).toBe('in 0s');
  });

  const plan = firstPlan();
  const start = Date.parse(plan.outage.start);
  const ponr = Date.parse(plan.outage.pointOfNoReturn);
  const end = Date.parse(plan.outage.end);
  const lines = (now: number) => windowLines(timeStatus(plan, INITIAL_RUN_STATE, now), now);

  it('before the window: when it opens, and whether the work fits', () => {
    const shown = lines(start - 30 * MIN);
    expect(shown[0]).toEqual({ tone: 'info', text: expect.stringMatching(/^The window opens in 30m(in)? 0s\.$/) as unknown });
    expect(shown.some((l) => l.tone === 'ok' && l.text.startsWith('The remaining steps fit'))).toBe(true);
  });

  it('warns in the quarter hour before the point of no return, first', () => {
    const shown = lines(ponr - 10 * MIN);
    expect(shown[0]?.tone).toBe('warn');
    expect(shown[0]?.text).toMatch(/^The point of no return is in 10m(in)? 0s\./);
    expect(shown[1]?.text).toMatch(/^The window is open: 40m(in)? 0s left\.$/);
  });

  it('after the point of no return and after the window: says so in red', () => {
    const shown = lines(end + 5 * MIN);
    expect(shown[0]).toMatchObject({ tone: 'fail' });
    expect(shown[0]?.text).toMatch(/^The point of no return passed 35m(in)? 0s ago/);
    expect(shown[1]?.text).toMatch(/^The window closed 5m(in)? 0s ago\.$/);
    expect(shown.some((l) => l.text.startsWith('The remaining steps do not fit'))).toBe(true);
  });

  it('names steps without an estimate (the forecast is short by them)', () => {
    expect(lines(start).some((l) => l.tone === 'warn' && /^3 remaining steps have no estimate/.test(l.text))).toBe(true);
  });
});

describe('contacts', () => {
  const contact = (id: string, key: boolean, backup?: string) => ({ id, name: id.toUpperCase(), role: 'role', phone: '+33 1 23 45 67 89', key, ...(backup === undefined ? {} : { backup }) });

  it('puts key people first and resolves each backup', () => {
    const shown = contactsWithBackups([contact('pm', false), contact('dba', true, 'pm'), contact('ops', true, 'gone')]);
    expect(shown.map((c) => c.contact.id)).toEqual(['dba', 'ops', 'pm']);
    expect(shown[0]?.backup?.id).toBe('pm');
    expect(shown[1]?.backup).toBeUndefined();
  });
});

describe('site time', () => {
  it("shows a moment in the site's zone and names the zone, beside the laptop's time", () => {
    expect(formatDateTime('2026-12-05T22:00:00+01:00', 'America/New_York')).toMatch(/Dec 5, 2026.*04:00:00\sPM EST/);
    expect(formatDateTime('2026-07-05T22:00:00+02:00', 'America/New_York')).toMatch(/Jul 5, 2026.*04:00:00\sPM EDT/);
  });
});
