import type { RunPhase } from '../../shared/run/events';

// Phases in which Fieldrun works on servers by itself: the laptop must not sleep mid-step.
const BUSY_PHASES: ReadonlySet<RunPhase> = new Set<RunPhase>(['baseline', 'deploy', 'rollback']);

/** Whether to hold the power-save blocker, given every run's phase. */
export function keepAwakeWanted(phases: Iterable<RunPhase | undefined>): boolean {
  for (const phase of phases) if (phase !== undefined && BUSY_PHASES.has(phase)) return true;
  return false;
}

/** Holds one blocker while `wanted` is true and releases it when false. */
export function powerSaveToggle(blocker: { start(type: 'prevent-app-suspension'): number; stop(id: number): void }): (wanted: boolean) => void {
  let held: number | undefined;
  return (wanted) => {
    if (wanted && held === undefined) held = blocker.start('prevent-app-suspension');
    if (!wanted && held !== undefined) {
      blocker.stop(held);
      held = undefined;
    }
  };
}
