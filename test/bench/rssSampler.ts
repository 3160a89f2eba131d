// Samples this process's resident memory while a benchmark works, to tell peak memory and
// whether it stays flat as output grows (the last part of the work against the first).

export interface RssProfile {
  beforeMiB: number;
  peakMiB: number;
  /** the highest sample in the first fifth of the work and in the last fifth */
  firstFifthPeakMiB: number;
  lastFifthPeakMiB: number;
  samples: number;
}

const MiB = 1024 * 1024;

export function sampleRss(everyMs = 50): { stop(): RssProfile } {
  const before = process.memoryUsage.rss();
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(process.memoryUsage.rss()), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(process.memoryUsage.rss());
      const fifth = Math.max(1, Math.floor(samples.length / 5));
      const peak = (values: number[]): number => Math.max(before, ...values) / MiB;
      return {
        beforeMiB: before / MiB,
        peakMiB: peak(samples),
        firstFifthPeakMiB: peak(samples.slice(0, fifth)),
        lastFifthPeakMiB: peak(samples.slice(-fifth)),
        samples: samples.length,
      };
    },
  };
}

/**
 * "flat" when the last fifth of the work peaks within `slackMiB` of the first fifth: V8 grows and
 * trims its heap in steps of tens of MiB on its own, far below the hundreds of MiB that holding the
 * output would take.
 */
export function flatness(profile: RssProfile, slackMiB = 64): string {
  const growth = profile.lastFifthPeakMiB - profile.firstFifthPeakMiB;
  return `${growth <= slackMiB ? 'flat' : 'GROWING'} (first fifth peak ${profile.firstFifthPeakMiB.toFixed(0)} MiB, last fifth ${profile.lastFifthPeakMiB.toFixed(0)} MiB)`;
}
