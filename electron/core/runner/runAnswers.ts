import { AppError } from '../../../shared/errors';
import { parseTimestamp, type Plan } from '../../../shared/plan';
import type { Answer, OpenQuestion, RunState } from '../../../shared/run';
import { exclusionOf } from './hostExclusion';
import type { NewRunEvent } from './runJournalWriter';

// What an answer means, decided against the folded state before anything is written: the
// answer's own event and those it brings (a phase change, skipped instances of an excluded
// host, an abort, a follow-up failure question), to be committed in one transaction.

const duringRollbackQuestion = (question: OpenQuestion): boolean => (question.kind === 'failure' || question.kind === 'manual') && question.during === 'rollback';

function pastPointOfNoReturn(plan: Plan, now = Date.now()): boolean {
  const at = parseTimestamp(plan.outage.pointOfNoReturn);
  return at !== undefined && now > at;
}

export function answerEvents(plan: Plan, state: RunState, questionId: string, answer: Answer): { events: NewRunEvent[]; rollingBack: boolean } {
  const question = state.questions.find((q) => q.id === questionId);
  if (question === undefined) throw new AppError('QUESTION_NOT_OPEN', `Question ${questionId} is not open any more. Look at the run again.`, { questionId });
  if (question.kind !== answer.kind) throw new AppError('ANSWER_INVALID', `Question ${questionId} asks about ${question.kind}, not ${answer.kind}.`, { questionId });
  if (answer.kind === 'failure' && answer.decision === 'skip' && (answer.reason ?? '').trim() === '') {
    throw new AppError('ANSWER_INVALID', 'Skipping a step needs a reason: say why the work can go on without it.', { questionId });
  }
  if (answer.kind === 'failure' && answer.decision === 'exclude-host' && ((answer.reason ?? '').trim() === '' || duringRollbackQuestion(question))) {
    throw new AppError('ANSWER_INVALID', 'Excluding a host needs a reason, and is not possible during a rollback.', { questionId });
  }
  if (answer.kind === 'unknown' && answer.decision === 'mark-done' && (answer.note ?? '').trim() === '') {
    throw new AppError('ANSWER_INVALID', 'Marking a step done needs a note: say how you know its effect is in place.', { questionId });
  }
  const duringRollback = (question.kind === 'failure' || question.kind === 'manual') && question.during === 'rollback';
  const rollingBack = (answer.kind === 'failure' || answer.kind === 'unknown') && answer.decision === 'rollback';
  if (rollingBack && duringRollback) throw new AppError('ANSWER_INVALID', 'The run is already rolling back: retry, skip or abort this rollback action.', { questionId });
  if (rollingBack && pastPointOfNoReturn(plan) && answer.pastPointOfNoReturn !== true) {
    throw new AppError(
      'ANSWER_INVALID',
      `The point of no return (${plan.outage.pointOfNoReturn}) has passed: rolling back may not restore service within the window. To roll back anyway, answer again with pastPointOfNoReturn set.`,
      { questionId, pointOfNoReturn: plan.outage.pointOfNoReturn },
    );
  }
  const events: NewRunEvent[] = [{ type: 'question.answered', payload: { questionId, answer } }];
  if (rollingBack) events.push({ type: 'run.phase', payload: { phase: 'rollback' } });
  if (answer.kind === 'failure' && answer.decision === 'exclude-host' && question.kind === 'failure') {
    const reason = answer.reason ?? '';
    events.push({ type: 'host.excluded', payload: { host: question.host, reason } });
    for (const key of exclusionOf(plan, state, question.host).skipped) {
      const [stepId = '', host = ''] = key.split('@');
      events.push({ type: 'step.skipped', payload: { stepId, host, reason: `host ${question.host} excluded: ${reason}` } });
    }
  }
  if ((answer.kind === 'failure' || answer.kind === 'unknown') && answer.decision === 'abort') {
    events.push({ type: 'run.aborted', payload: { reason: answer.kind === 'failure' ? (answer.reason ?? 'aborted after a failure') : (answer.note ?? 'aborted after an unknown outcome') } });
  }
  if (answer.kind === 'confirm' && !answer.confirmed && question.kind === 'confirm') {
    const summary = `the technician answered no to: ${question.question}`;
    events.push({ type: 'question.asked', payload: { kind: 'failure', stepId: question.stepId, host: question.host, attempt: question.attempt, summary } });
  }
  return { events, rollingBack };
}
