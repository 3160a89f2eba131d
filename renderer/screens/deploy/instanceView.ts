// How a step instance is shown: its state as a badge and text, and what its outcome says.
import type { InstanceState, StepInstance, StepOutcome } from '../../../shared/run';
import { t, type MessageKey } from '../../i18n/t';

const BADGE: Readonly<Record<InstanceState, string>> = {
  pending: 'neutral',
  running: 'info',
  waiting: 'warn',
  succeeded: 'ok',
  failed: 'fail',
  skipped: 'neutral',
  unknown: 'unknown',
};

export function stateBadge(state: InstanceState): { className: string; text: string } {
  return { className: `badge ${BADGE[state]}`, text: t(`deploy.state.${state}` as MessageKey) };
}

export function outcomeText(outcome: StepOutcome | undefined): string | undefined {
  if (outcome === undefined) return undefined;
  switch (outcome.kind) {
    case 'exited':
      return t('deploy.outcome.exited', { code: outcome.code });
    case 'signalled':
      return t('deploy.outcome.signalled', { signal: outcome.signal });
    case 'unknown':
      return t('deploy.outcome.unknown', { reason: outcome.reason });
    case 'error':
      return t('deploy.outcome.error', { message: outcome.message, code: outcome.code });
    case 'done':
      return outcome.note === '' ? t('deploy.outcome.doneNoNote') : t('deploy.outcome.done', { note: outcome.note });
  }
}

/** The instance to show output of when the technician picked none: one needing attention, else running, else the last started. */
export function defaultInstance(instances: readonly StepInstance[]): StepInstance | undefined {
  const withOutput = instances.filter((i) => i.streams !== undefined);
  return (
    withOutput.find((i) => i.questionId !== undefined) ??
    withOutput.find((i) => i.state === 'running') ??
    [...withOutput].sort((a, b) => (b.startedSeq ?? 0) - (a.startedSeq ?? 0))[0]
  );
}
