// Where to land when the app opens. A reload returns to the place this tab was; a fresh start
// after a crash lands on the interrupted run: a run in deployment or rollback goes to Deploy (its
// unknown steps and open questions are there), another unfinished run to its Overview.
import type { MethodOutput } from '../../shared/contract';
import type { Place } from './navigation';

type RunSummary = MethodOutput<'runs.list'>['runs'][number];

const IN_FLIGHT = new Set(['deploy', 'rollback']);
const FINISHED = new Set(['done', 'aborted', 'rolled-back']);

export function landingPlace(saved: Place | undefined, runs: readonly RunSummary[]): Place {
  if (saved !== undefined && (saved.runId === undefined || runs.some((r) => r.runId === saved.runId))) return saved;
  const interrupted = runs.find((r) => r.phase !== undefined && IN_FLIGHT.has(r.phase));
  if (interrupted !== undefined) return { screen: 'deploy', runId: interrupted.runId };
  return { screen: 'plans', runId: runs.find((r) => r.phase === undefined || !FINISHED.has(r.phase))?.runId };
}
