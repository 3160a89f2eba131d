// Deviations the technician may need on site, each with its reason and each journaled: an ad-hoc
// command on one host, a step's command changed, the run aborted.
import { useId, useState } from 'react';
import type { Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import { call } from '../../api/api';
import { ReasonDialog } from '../../components/ReasonDialog';
import { t } from '../../i18n/t';
import { runActionOrThrow } from '../../components/runAction';

type Tool = 'adhoc' | 'edit' | 'abort';

function AdhocFields({ plan, host, setHost, command, setCommand }: { plan: Plan; host: string; setHost: (h: string) => void; command: string; setCommand: (c: string) => void }) {
  const id = useId();
  return (
    <>
      <label htmlFor={`${id}-host`}>{t('deploy.tools.host')}</label>
      <select id={`${id}-host`} value={host} onChange={(e) => setHost(e.target.value)}>
        {plan.hosts.map((h) => (
          <option key={h.name} value={h.name}>
            {h.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-command`}>{t('deploy.tools.command')}</label>
      <textarea id={`${id}-command`} className="mono" rows={3} value={command} onChange={(e) => setCommand(e.target.value)} />
    </>
  );
}

export function RunTools({ runId, plan, state }: { readonly runId: string; readonly plan: Plan; readonly state: RunState }) {
  const [open, setOpen] = useState<Tool | undefined>(undefined);
  const [host, setHost] = useState(plan.hosts[0]?.name ?? '');
  const [command, setCommand] = useState('');
  const runSteps = plan.steps.filter((s) => s.run !== undefined);
  const [stepId, setStepId] = useState(runSteps[0]?.id ?? '');
  const id = useId();
  const currentCommand = (step: string): string => state.stepEdits[step]?.run ?? plan.steps.find((s) => s.id === step)?.run ?? '';
  const [edited, setEdited] = useState('');

  const start = (tool: Tool): void => {
    if (tool === 'edit') setEdited(currentCommand(stepId));
    if (tool === 'adhoc') setCommand('');
    setOpen(tool);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('deploy.tools.title')}</h2>
      <div className="row">
        <button type="button" onClick={() => start('adhoc')}>
          {t('deploy.tools.adhoc')}
        </button>
        <button type="button" onClick={() => start('edit')} disabled={runSteps.length === 0}>
          {t('deploy.tools.edit')}
        </button>
        <button type="button" className="danger" onClick={() => start('abort')}>
          {t('deploy.tools.abort')}
        </button>
      </div>
      {open === 'adhoc' && (
        <ReasonDialog
          title={t('deploy.tools.adhocTitle')}
          confirmLabel={t('deploy.tools.adhocRun')}
          onClose={() => setOpen(undefined)}
          onConfirm={(reason) => runActionOrThrow((expectSeq) => call('runs.adhoc.run', { runId, expectSeq, host, command, reason }))}
        >
          <p>{t('deploy.tools.adhocExplain')}</p>
          <AdhocFields plan={plan} host={host} setHost={setHost} command={command} setCommand={setCommand} />
        </ReasonDialog>
      )}
      {open === 'edit' && (
        <ReasonDialog
          title={t('deploy.tools.editTitle')}
          confirmLabel={t('deploy.tools.editSave')}
          onClose={() => setOpen(undefined)}
          onConfirm={(reason) => runActionOrThrow((expectSeq) => call('runs.steps.edit', { runId, expectSeq, stepId, run: edited, reason }))}
        >
          <p>{t('deploy.tools.editExplain')}</p>
          <label htmlFor={`${id}-step`}>{t('deploy.tools.step')}</label>
          <select
            id={`${id}-step`}
            value={stepId}
            onChange={(e) => {
              setStepId(e.target.value);
              setEdited(currentCommand(e.target.value));
            }}
          >
            {runSteps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-run`}>{t('deploy.tools.command')}</label>
          <textarea id={`${id}-run`} className="mono" rows={6} value={edited} onChange={(e) => setEdited(e.target.value)} />
        </ReasonDialog>
      )}
      {open === 'abort' && (
        <ReasonDialog
          title={t('deploy.tools.abortTitle')}
          confirmLabel={t('deploy.tools.abortConfirm')}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={(reason) => runActionOrThrow((expectSeq) => call('runs.abort', { runId, expectSeq, reason }))}
        >
          <p>{t('deploy.tools.abortExplain')}</p>
        </ReasonDialog>
      )}
    </section>
  );
}
