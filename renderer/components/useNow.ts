// The current time, ticking every `intervalMs` while the component is shown, so a countdown or a
// relative time ("in 2 minutes") stays true on a screen left open.
import { useEffect, useState } from 'react';

export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
