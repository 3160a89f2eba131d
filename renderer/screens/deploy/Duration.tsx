// A duration on screen. A running one ticks once a second in this small component alone, so the
// clock never redraws the list around it.
import { useEffect, useState } from 'react';
import { formatDuration, t } from '../../i18n/t';
import { durationOf } from './durations';

export interface DurationProps {
  readonly startedAt: string | undefined;
  readonly endedAt: string | undefined;
  readonly going: boolean;
  /** Drawn as secondary text (in a list); false where it is the value itself (a details list). */
  readonly muted?: boolean;
}

export function Duration({ startedAt, endedAt, going, muted = true }: DurationProps) {
  const [now, setNow] = useState(() => Date.now());
  const view = durationOf(startedAt, endedAt, going, now);
  const live = view?.live === true;
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  if (view === undefined) return null;
  const duration = formatDuration(view.ms);
  const text = view.live ? t('deploy.duration.elapsed', { duration }) : view.ms < 1000 ? t('deploy.duration.underSecond') : t('deploy.duration.took', { duration });
  return <span className={muted ? 'muted duration' : 'duration'}>{text}</span>;
}
