// The outage window in words, live: how far a moment is (before or after now) and what the
// technician should know about the window right now. Pure, so it is tested without a clock.
import type { TimeStatus } from '../../../shared/run';
import { formatDuration, t } from '../../i18n/t';

/** "in 1 h 5 min" or "3 min 10 s ago" (a moment now or in the future reads as "in"). */
export function relativeToNow(targetMs: number, nowMs: number): string {
  const delta = targetMs - nowMs;
  return delta >= 0 ? t('overview.window.in', { duration: formatDuration(delta) }) : t('overview.window.ago', { duration: formatDuration(-delta) });
}

export type Tone = 'ok' | 'info' | 'warn' | 'fail';

export interface WindowLine {
  readonly tone: Tone;
  readonly text: string;
}

/** The lines to show about the window, most urgent first. */
export function windowLines(time: TimeStatus, nowMs: number): WindowLine[] {
  const lines: WindowLine[] = [];
  if (time.pastPointOfNoReturn && time.msToPointOfNoReturn !== undefined) {
    lines.push({ tone: 'fail', text: t('overview.window.ponrPast', { duration: formatDuration(-time.msToPointOfNoReturn) }) });
  } else if (time.warnPointOfNoReturn && time.msToPointOfNoReturn !== undefined) {
    lines.push({ tone: 'warn', text: t('overview.window.ponrWarn', { duration: formatDuration(time.msToPointOfNoReturn) }) });
  }
  if (time.windowStartMs !== undefined && !time.started) {
    lines.push({ tone: 'info', text: t('overview.window.notStarted', { duration: formatDuration(time.windowStartMs - nowMs) }) });
  } else if (time.msLeftInWindow !== undefined) {
    lines.push(
      time.msLeftInWindow >= 0
        ? { tone: 'ok', text: t('overview.window.open', { duration: formatDuration(time.msLeftInWindow) }) }
        : { tone: 'fail', text: t('overview.window.over', { duration: formatDuration(-time.msLeftInWindow) }) },
    );
  }
  if (time.fitsWindow !== undefined) {
    const estimate = formatDuration(time.remainingEstimateMs);
    lines.push(time.fitsWindow ? { tone: 'ok', text: t('overview.window.fits', { estimate }) } : { tone: 'fail', text: t('overview.window.doesNotFit', { estimate }) });
  }
  if (time.unestimatedSteps.length > 0) lines.push({ tone: 'warn', text: t('overview.window.unestimated', { count: time.unestimatedSteps.length }) });
  return lines;
}

