// The loop every comparison benchmark runs: each variant (Fieldrun, then the peers) `runs` times
// in the same process and machine state, a failing variant recorded as a result rather than
// ending the benchmark, and the table of wall time and CPU with ratios to the first variant.
import type { Timed } from './peers';
import { timed } from './peers';
import { medianText, ratioText, spreadText, type Table } from './results';

export interface Variant {
  name: string;
  settings: string;
  /** One run of the work; returns the client CPU when it is not this process's (a peer's children). */
  run(): Promise<unknown>;
  before?: () => Promise<void>;
  /** After each run (not timed): cleaning up on the hosts, say. */
  between?: () => Promise<void>;
  after?: () => Promise<void>;
  /** Fewer runs than the others (a variant that takes minutes). */
  runs?: number;
}

export interface Measured {
  variant: Variant;
  samples: Timed[];
  failure?: string;
}

export async function measureVariants(variants: readonly Variant[], runs: number): Promise<Measured[]> {
  const measured: Measured[] = [];
  for (const variant of variants) {
    const samples: Timed[] = [];
    try {
      await variant.before?.();
      for (let r = 0; r < Math.min(runs, variant.runs ?? runs); r++) {
        samples.push(await timed(() => variant.run()));
        await variant.between?.();
      }
      await variant.after?.();
      measured.push({ variant, samples });
      console.log(`${variant.name}: ${samples.map((s) => `${(s.wallMs / 1000).toFixed(2)} s`).join(', ')}`);
    } catch (error) {
      // A variant that fails is a result too: say so and measure the others.
      const failure = error instanceof Error ? error.message : String(error);
      measured.push({ variant, samples, failure });
      console.log(`${variant.name}: FAILED after ${samples.length} runs: ${failure}`);
      await variant.after?.().catch(() => undefined);
    }
  }
  return measured;
}

/** Wall time and CPU of each variant, with each one's wall time as a multiple of the first (Fieldrun). */
export function variantTable(measured: readonly Measured[]): Table {
  const base = measured[0]?.samples.map((s) => s.wallMs) ?? [];
  const seconds = (values: number[]): number[] => values.map((v) => v / 1000);
  return {
    headers: ['variant', 'wall s (median)', 'spread', '× Fieldrun', 'client CPU s', 'machine CPU s'],
    rows: measured.map(({ variant, samples, failure }) =>
      failure !== undefined || samples.length === 0
        ? [variant.name, 'FAILED', oneLine(failure ?? 'no run'), '', '', '']
        : [
            variant.name,
            medianText(seconds(samples.map((s) => s.wallMs))),
            spreadText(seconds(samples.map((s) => s.wallMs))),
            ratioText(samples.map((s) => s.wallMs), base),
            medianText(seconds(samples.map((s) => s.clientCpuMs))),
            medianText(seconds(samples.map((s) => s.machineCpuMs))),
          ],
    ),
  };
}

export function settingsList(measured: readonly Measured[]): string {
  return measured.map(({ variant }) => `- ${variant.name}: ${variant.settings}`).join('\n');
}

/** A failure's message on one short line, for a table cell. */
export const oneLine = (text: string, max = 100): string => text.replace(/\s+/g, ' ').trim().slice(0, max);
