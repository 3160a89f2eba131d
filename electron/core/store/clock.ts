/**
 * The store's view of time, a port so tests can pin it. Wall time says when (it can jump: NTP,
 * a technician fixing the laptop clock); the monotonic clock measures durations between events of
 * one process and never goes back, but restarts from an arbitrary origin after a reboot.
 */
export interface Clock {
  nowUtc(): Date;
  monotonicNs(): bigint;
}

export const systemClock: Clock = {
  nowUtc: () => new Date(),
  monotonicNs: () => process.hrtime.bigint(),
};
