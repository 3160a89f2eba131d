// The choices after a failure or an unknown outcome, each as the core accepts it (AnswerSchema):
// retry; skip, exclude the host, roll back or abort with a written reason; for an unknown
// outcome, mark done with a note. Rolling back past the point of no return is asked twice: the
// core refuses the first answer and says why, and the second "yes" carries pastPointOfNoReturn.
import { useState } from 'react';
import type { Answer, OpenQuestion } from '../../../shared/run';
import { errorText } from '../../api/api';
import { ReasonDialog } from '../../components/ReasonDialog';
import { t } from '../../i18n/t';
import { useRunStore } from '../../state/runStore';
import { ConfirmDialog } from './ConfirmDialog';
import { ExcludeHostPreview } from './ExcludeHostPreview';
import { failureAnswer, unknownAnswer } from './answers';
import { answerQuestion } from './QuestionCard';
import { refusalText } from '../../components/runAction';

type Choice = 'skip' | 'exclude-host' | 'rollback' | 'abort' | 'mark-done';
type Question = OpenQuestion & { kind: 'failure' | 'unknown' };

function answerFor(question: Question, choice: Choice | 'retry', reason: string, pastPoint: boolean): Answer {
  if (question.kind === 'failure') return failureAnswer(choice === 'mark-done' ? 'retry' : choice, reason, pastPoint);
  return unknownAnswer(choice === 'skip' || choice === 'exclude-host' ? 'retry' : choice, reason, pastPoint);
}

const isPointOfNoReturnRefusal = (error: unknown): boolean => {
  const { code } = errorText(error);
  const details = (error as { details?: unknown }).details;
  return code === 'ANSWER_INVALID' && typeof details === 'object' && details !== null && 'pointOfNoReturn' in details;
};

export function FailureChoices({ question }: { readonly question: Question }) {
  const runId = useRunStore((s) => s.runId) ?? '';
  const [open, setOpen] = useState<Choice | undefined>(undefined);
  const [secondAsk, setSecondAsk] = useState<{ reason: string; message: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const duringRollback = question.kind === 'failure' && question.during === 'rollback';

  const retry = (): void => {
    setBusy(true);
    setError(undefined);
    answerQuestion(question, answerFor(question, 'retry', '', false)).then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(refusalText(e));
      },
    );
  };

  const decide = async (choice: Choice, reason: string): Promise<void> => {
    try {
      await answerQuestion(question, answerFor(question, choice, reason, false));
    } catch (e) {
      if (choice === 'rollback' && isPointOfNoReturnRefusal(e)) {
        setSecondAsk({ reason, message: errorText(e).message });
        return;
      }
      throw e;
    }
  };

  const dialogs: Record<Choice, { title: string; confirm: string; explain: string; danger: boolean }> = {
    skip: { title: t('deploy.choice.skipTitle'), confirm: t('deploy.choice.skip'), explain: t('deploy.choice.skipExplain'), danger: false },
    'exclude-host': { title: t('deploy.choice.excludeTitle', { host: question.host }), confirm: t('deploy.choice.exclude'), explain: '', danger: true },
    rollback: { title: t('deploy.choice.rollbackTitle'), confirm: t('deploy.choice.rollback'), explain: t('deploy.choice.rollbackExplain'), danger: true },
    abort: { title: t('deploy.choice.abortTitle'), confirm: t('deploy.choice.abort'), explain: t('deploy.choice.abortExplain'), danger: true },
    'mark-done': { title: t('deploy.choice.markDoneTitle'), confirm: t('deploy.choice.markDone'), explain: t('deploy.choice.markDoneExplain'), danger: false },
  };
  const choices: Choice[] =
    question.kind === 'unknown' ? ['mark-done', 'rollback', 'abort'] : duringRollback ? ['skip', 'abort'] : ['skip', 'exclude-host', 'rollback', 'abort'];

  return (
    <div className="stack">
      {question.kind === 'unknown' ? (
        <>
          <p>{t('deploy.unknown.explain')}</p>
          <p className="instructions">{question.summary}</p>
          <p className={question.idempotent ? 'notice info' : 'notice warn'}>{question.idempotent ? t('deploy.unknown.idempotent') : t('deploy.unknown.notIdempotent')}</p>
        </>
      ) : (
        <p className="instructions">{question.summary}</p>
      )}
      <div className="row" role="group" aria-label={t('deploy.choice.group')}>
        <button type="button" className="primary" disabled={busy} onClick={retry}>
          {t('deploy.choice.retry')}
        </button>
        {choices.map((choice) => (
          <button key={choice} type="button" className={dialogs[choice].danger ? 'danger' : undefined} disabled={busy} onClick={() => setOpen(choice)}>
            {`${dialogs[choice].confirm}…`}
          </button>
        ))}
      </div>
      {error !== undefined && (
        <p role="alert" className="notice fail">
          {error}
        </p>
      )}
      {open !== undefined && (
        <ReasonDialog title={dialogs[open].title} confirmLabel={dialogs[open].confirm} danger={dialogs[open].danger} onConfirm={(reason) => decide(open, reason)} onClose={() => setOpen(undefined)}>
          {open === 'exclude-host' ? <ExcludeHostPreview runId={runId} host={question.host} /> : <p>{dialogs[open].explain}</p>}
        </ReasonDialog>
      )}
      {secondAsk !== undefined && (
        <ConfirmDialog
          title={t('deploy.choice.pastPointTitle')}
          confirmLabel={t('deploy.choice.rollbackAnyway')}
          onConfirm={() => answerQuestion(question, answerFor(question, 'rollback', secondAsk.reason, true))}
          onClose={() => setSecondAsk(undefined)}
        >
          <p>{secondAsk.message}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
