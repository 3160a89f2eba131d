// One open question of the run, answered in place: a manual step's instructions and "done", a
// confirm question, or a failure / unknown outcome with its choices (FailureChoices).
import { useId, useState, type ReactNode } from 'react';
import type { Answer, OpenQuestion } from '../../../shared/run';
import { call } from '../../api/api';
import { t } from '../../i18n/t';
import { useRunStore } from '../../state/runStore';
import { FailureChoices } from './FailureChoices';
import { refusalText, runActionOrThrow } from '../../components/runAction';

export function answerQuestion(question: OpenQuestion, answer: Answer): Promise<void> {
  const runId = useRunStore.getState().runId ?? '';
  return runActionOrThrow((expectSeq) => call('runs.answer', { runId, expectSeq, questionId: question.id, answer }));
}

function NoteAnswer({ question, children }: { readonly question: OpenQuestion & { kind: 'manual' | 'confirm' }; readonly children?: ReactNode }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const id = useId();
  const answer = (value: Answer): void => {
    setBusy(true);
    setError(undefined);
    answerQuestion(question, value).then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(refusalText(e));
      },
    );
  };
  return (
    <div className="stack">
      {children}
      <label htmlFor={`${id}-note`}>{t('deploy.question.note')}</label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="row">
        {question.kind === 'manual' ? (
          <button type="button" className="primary" disabled={busy} onClick={() => answer({ kind: 'manual', done: true, note })}>
            {t('deploy.question.manualDone')}
          </button>
        ) : (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => answer({ kind: 'confirm', confirmed: true, note })}>
              {t('deploy.question.yes')}
            </button>
            <button type="button" disabled={busy} onClick={() => answer({ kind: 'confirm', confirmed: false, note })}>
              {t('deploy.question.no')}
            </button>
          </>
        )}
      </div>
      {error !== undefined && (
        <p role="alert" className="notice fail">
          {error}
        </p>
      )}
    </div>
  );
}

export function QuestionCard({ question, stepTitle }: { readonly question: OpenQuestion; readonly stepTitle: string | undefined }) {
  const id = useId();
  if (question.kind === 'host-key') {
    return (
      <section className="card question" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>{t('deploy.question.hostKeyTitle', { host: question.host })}</h3>
        <p>{t('deploy.question.hostKeyWhere')}</p>
      </section>
    );
  }
  const subject = t('deploy.question.subject', { step: stepTitle ?? question.stepId, host: question.host, attempt: question.attempt });
  const titleKey = {
    manual: question.kind === 'manual' && question.during === 'rollback' ? 'deploy.question.manualRollbackTitle' : 'deploy.question.manualTitle',
    confirm: 'deploy.question.confirmTitle',
    failure: question.kind === 'failure' && question.during === 'rollback' ? 'deploy.question.rollbackFailureTitle' : 'deploy.question.failureTitle',
    unknown: 'deploy.question.unknownTitle',
  } as const;
  return (
    <section className={`card question question-${question.kind}`} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t(titleKey[question.kind])}</h3>
      <p className="muted">{subject}</p>
      {question.kind === 'manual' && (
        <NoteAnswer question={question}>
          <p className="instructions">{question.instructions}</p>
        </NoteAnswer>
      )}
      {question.kind === 'confirm' && (
        <NoteAnswer question={question}>
          <p className="instructions">{question.question}</p>
        </NoteAnswer>
      )}
      {question.kind === 'failure' && <FailureChoices question={question} />}
      {question.kind === 'unknown' && <FailureChoices question={question} />}
    </section>
  );
}
