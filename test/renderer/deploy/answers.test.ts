import { describe, expect, it } from 'vitest';
import { AnswerSchema } from '../../../shared/run';
import { FAILURE_DECISIONS, failureAnswer, UNKNOWN_DECISIONS, unknownAnswer } from '../../../renderer/screens/deploy/answers';

describe('answers to failures and unknown outcomes', () => {
  it('are exactly what the core accepts, for every decision', () => {
    for (const decision of FAILURE_DECISIONS) {
      for (const answer of [failureAnswer(decision, ''), failureAnswer(decision, ' disk busy '), failureAnswer(decision, 'late', true)]) {
        expect(AnswerSchema.parse(answer)).toEqual(answer);
      }
    }
    for (const decision of UNKNOWN_DECISIONS) {
      for (const answer of [unknownAnswer(decision, ''), unknownAnswer(decision, 'checked the service'), unknownAnswer(decision, 'late', true)]) {
        expect(AnswerSchema.parse(answer)).toEqual(answer);
      }
    }
  });

  it('carry the reason trimmed, and the second yes only when given', () => {
    expect(failureAnswer('skip', '  not needed here  ')).toEqual({ kind: 'failure', decision: 'skip', reason: 'not needed here' });
    expect(failureAnswer('retry', '')).toEqual({ kind: 'failure', decision: 'retry' });
    expect(failureAnswer('rollback', 'port in use', true)).toEqual({ kind: 'failure', decision: 'rollback', reason: 'port in use', pastPointOfNoReturn: true });
    expect(unknownAnswer('mark-done', 'service answers on 8080')).toEqual({ kind: 'unknown', decision: 'mark-done', note: 'service answers on 8080' });
  });
});
