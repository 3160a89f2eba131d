// Banners for what can ruin a visit whatever screen is open: low disk where output is recorded,
// low battery (where the browser or OS reports it) and a run halted because it could not record.
import { useEffect, useState } from 'react';
import { call } from '../api/api';
import { formatBytes, t } from '../i18n/t';
import { useRunStore } from '../state/runStore';

const POLL_MS = 60_000;
const LOW_BATTERY = 0.2;

interface BatteryManagerLike {
  readonly level: number;
  readonly charging: boolean;
  addEventListener(type: string, listener: () => void): void;
}

export function Warnings() {
  const [diskFree, setDiskFree] = useState<number | undefined>(undefined);
  const [battery, setBattery] = useState<{ level: number; charging: boolean } | undefined>(undefined);
  const halted = useRunStore((s) => s.run?.halted);

  useEffect(() => {
    let alive = true;
    const poll = (): void => {
      call('system.status', {}).then(
        (s) => alive && setDiskFree(s.diskLow ? s.diskFreeBytes : undefined),
        () => undefined,
      );
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    const nav = navigator as Navigator & { getBattery?: () => Promise<BatteryManagerLike> };
    void nav.getBattery?.().then((b) => {
      const read = (): void => {
        if (alive) setBattery({ level: b.level, charging: b.charging });
      };
      read();
      b.addEventListener('levelchange', read);
      b.addEventListener('chargingchange', read);
    });
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <div aria-live="polite">
      {diskFree !== undefined && <p className="notice fail" role="alert">{t('warning.diskLow', { free: formatBytes(diskFree) })}</p>}
      {battery !== undefined && !battery.charging && battery.level < LOW_BATTERY && (
        <p className="notice warn">{t('warning.batteryLow', { percent: new Intl.NumberFormat(undefined, { style: 'percent' }).format(battery.level) })}</p>
      )}
      {halted !== undefined && (
        <p className="notice fail" role="alert">
          {t('warning.halted', { message: halted.message })} <span className="muted">({halted.code})</span>
        </p>
      )}
    </div>
  );
}
