// Import by picker or drag and drop: the file is read in the page and sent to the core in
// chunks, then imported. A broken plan shows its problems at their places; an unsigned or
// untrusted one asks for a note first; nothing is imported half-way.
import { useId, useRef, useState, type DragEvent } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call, errorText, UiError } from '../../api/api';
import { discardUpload, uploadFile } from '../../components/uploadFile';
import { ErrorNotice } from '../../components/states';
import { formatBytes, t } from '../../i18n/t';
import { AcknowledgeForm } from './AcknowledgeForm';
import { problemsOf, untrustedStatusOf, type AcknowledgeableStatus, type PlanProblemView } from './planProblems';
import { ProblemList } from './ProblemList';
import { SignatureBadge } from './SignatureBadge';

type Imported = MethodOutput<'plans.import'>;
type ImportState =
  | { readonly step: 'idle'; readonly note?: string }
  | { readonly step: 'busy'; readonly text: string }
  | { readonly step: 'problems'; readonly name: string; readonly problems: readonly PlanProblemView[] }
  | { readonly step: 'ack'; readonly file: File; readonly status: AcknowledgeableStatus }
  | { readonly step: 'done'; readonly result: Imported }
  | { readonly step: 'error'; readonly error: { code: string; message: string } };

export function ImportPanel({ onImported }: { readonly onImported: () => void }) {
  const [state, setState] = useState<ImportState>({ step: 'idle' });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Set before the first await, so that a second drop in the same frame is refused too.
  const importing = useRef(false);
  const id = useId();

  const importFile = async (file: File, note?: string): Promise<void> => {
    if (importing.current) return;
    importing.current = true;
    setState({ step: 'busy', text: t('plans.import.reading', { name: file.name }) });
    let uploadId: string | undefined;
    try {
      uploadId = await uploadFile(file, ({ sent, size }) =>
        setState({ step: 'busy', text: t('plans.import.uploading', { name: file.name, sent: formatBytes(sent), size: formatBytes(size) }) }),
      );
      setState({ step: 'busy', text: t('plans.import.checking', { name: file.name }) });
      const result = await call('plans.import', { source: { kind: 'upload', uploadId }, ...(note === undefined ? {} : { acknowledgeUntrusted: { note } }) });
      setState({ step: 'done', result });
      onImported();
    } catch (error) {
      // A refused plan is not imported from this upload again (an acknowledgement sends the file anew).
      if (uploadId !== undefined) await discardUpload(uploadId);
      const details = error instanceof UiError ? error.details : undefined;
      const problems = problemsOf(details);
      const status = error instanceof UiError ? untrustedStatusOf(error.code, details) : undefined;
      if (problems.length > 0) setState({ step: 'problems', name: file.name, problems });
      else if (status !== undefined && note === undefined) setState({ step: 'ack', file, status });
      else setState({ step: 'error', error: errorText(error) });
    } finally {
      importing.current = false;
      if (input.current !== null) input.current.value = '';
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    // One import at a time: a second one would interleave its progress with the first's.
    if (importing.current) return;
    const entry = e.dataTransfer.items[0]?.webkitGetAsEntry?.();
    const file = e.dataTransfer.files[0];
    if (entry?.isDirectory === true) setState({ step: 'idle', note: t('plans.import.dropFolder') });
    else if (file !== undefined) void importFile(file);
  };

  const busy = state.step === 'busy';
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('plans.import.title')}</h2>
      <div
        className={dragging ? 'plan-drop dragging' : 'plan-drop'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t('plans.import.hint')}</p>
        <p className="muted">{t('plans.import.drop')}</p>
        <label htmlFor={`${id}-file`} className="visually-hidden">
          {t('plans.import.choose')}
        </label>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept=".yaml,.yml,.tar,.tgz,.gz"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file !== undefined) void importFile(file);
          }}
        />
      </div>
      {state.step === 'idle' && state.note !== undefined && <p className="notice info">{state.note}</p>}
      {state.step === 'busy' && (
        <p role="status" aria-live="polite">
          {state.text}
        </p>
      )}
      {state.step === 'problems' && <ProblemList name={state.name} problems={state.problems} />}
      {state.step === 'error' && <ErrorNotice error={state.error} />}
      {state.step === 'ack' && (
        <AcknowledgeForm name={state.file.name} status={state.status} onConfirm={(note) => void importFile(state.file, note)} onCancel={() => setState({ step: 'idle' })} />
      )}
      {state.step === 'done' && (
        <p role="status" className="notice ok">
          {t(state.result.alreadyImported ? 'plans.import.already' : 'plans.import.done', { title: state.result.plan.title, version: state.result.plan.version })}{' '}
          <SignatureBadge status={state.result.plan.signature.status} acknowledged={state.result.plan.acknowledged} />
        </p>
      )}
    </section>
  );
}
