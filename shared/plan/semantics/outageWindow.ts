import type { ProblemDraft } from '../draft';
import { isIanaTimeZone, parseTimestamp, timestampOffsetMinutes, zoneOffsetMinutes } from '../timestamps';
import { isRecord, problem, textOf, type SemanticContext } from './raw';

// The window must make sense before anyone is on site at 22:00: it ends after it starts, and the
// point of no return lies inside it. An offset that disagrees with the site's zone at that date
// (a summer offset on a winter night) is flagged: the author probably meant another hour.
export function checkOutageWindow({ document }: SemanticContext): ProblemDraft[] {
  const outage = isRecord(document) ? document['outage'] : undefined;
  if (!isRecord(outage)) return [];
  const problems: ProblemDraft[] = [];
  const text = (key: string): string | undefined => textOf(outage, key);
  const start = parseMaybe(text('start'));
  const end = parseMaybe(text('end'));
  const ponr = parseMaybe(text('pointOfNoReturn'));

  if (start !== undefined && end !== undefined && end <= start) {
    problems.push(
      problem(
        'OUTAGE_ORDER',
        ['outage', 'end'],
        text('end')!,
        `a time after the start, ${text('start')!}`,
        `The outage window ends (${text('end')!}) ${end === start ? 'when' : 'before'} it starts (${text('start')!}); check the date and the offset of both.`,
      ),
    );
  } else if (start !== undefined && end !== undefined && ponr !== undefined && (ponr < start || ponr > end)) {
    problems.push(
      problem(
        'PONR_OUTSIDE_WINDOW',
        ['outage', 'pointOfNoReturn'],
        text('pointOfNoReturn')!,
        `a time between ${text('start')!} and ${text('end')!}`,
        `The point of no return (${text('pointOfNoReturn')!}) is ${ponr < start ? 'before the window starts' : 'after the window ends'}; it must lie inside the outage window.`,
      ),
    );
  }

  const zone = text('timeZone');
  if (zone === undefined || !isIanaTimeZone(zone)) return problems;
  for (const key of ['start', 'end', 'pointOfNoReturn'] as const) {
    const written = text(key);
    const instant = parseMaybe(written);
    if (written === undefined || instant === undefined || written.endsWith('Z')) continue;
    const offset = timestampOffsetMinutes(written);
    const siteOffset = zoneOffsetMinutes(zone, instant);
    if (offset === undefined || siteOffset === undefined || offset === siteOffset) continue;
    problems.push(
      problem(
        'OUTAGE_OFFSET_MISMATCH',
        ['outage', key],
        `offset ${formatOffset(offset)}`,
        `offset ${formatOffset(siteOffset)}, the offset of ${zone} at that date`,
        `${written} is written with offset ${formatOffset(offset)}, but ${zone} is at ${formatOffset(siteOffset)} then; check which hour was meant.`,
        'warning',
      ),
    );
  }
  return problems;
}

const parseMaybe = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseTimestamp(text));

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
