// Deploy: the steps in the order they run with each host's instance, the open questions answered
// in place, progress against the outage window, the output of the picked instance, and the
// deviations (ad-hoc command, step edit, abort) — each with its reason.
import { useState } from 'react';
import { instanceKey } from '../../../shared/run';
import { RunScreenGate, type OpenRun } from '../../components/RunScreenGate';
import { t, type MessageKey } from '../../i18n/t';
import { DeployProgress } from './DeployProgress';
import { defaultInstance } from './instanceView';
import { OutputPanel, type OutputSource } from './OutputPanel';
import { QuestionCard } from './QuestionCard';
import { RollbackList } from './RollbackList';
import { RunTools } from './RunTools';
import { StartPanel } from './StartPanel';
import { StepList } from './StepList';
import './deploy.css';

const FINISHED = new Set(['done', 'aborted', 'rolled-back', 'handover']);

export function DeployScreen() {
  return (
    <div className="deploy stack">
      <h1>{t('deploy.title')}</h1>
      <RunScreenGate>{(open) => <Deploy {...open} />}</RunScreenGate>
    </div>
  );
}

function Deploy({ runId, run, plan }: OpenRun) {
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const state = run.state;
  const titles = new Map(plan.steps.map((s) => [s.id, s.title]));
  const sources = new Map<string, OutputSource>();
  for (const i of Object.values(state.instances)) {
    if (i.streams === undefined) continue;
    const key = instanceKey(i.stepId, i.host);
    sources.set(key, { key, title: t('deploy.output.instance', { step: titles.get(i.stepId) ?? i.stepId, host: i.host }), streams: i.streams, lengths: i.output === undefined ? undefined : { stdout: i.output.stdout.length, stderr: i.output.stderr.length } });
  }
  for (const r of Object.values(state.rollbacks)) {
    if (r.streams === undefined) continue;
    const key = `rollback:${instanceKey(r.stepId, r.host)}`;
    sources.set(key, { key, title: t('deploy.output.rollback', { step: titles.get(r.stepId) ?? r.stepId, host: r.host }), streams: r.streams, lengths: undefined });
  }
  for (const a of state.adhoc) {
    const key = `adhoc:${a.adhocId}`;
    sources.set(key, { key, title: t('deploy.output.adhoc', { host: a.host }), streams: a.streams, lengths: undefined });
  }
  const fallback = defaultInstance(Object.values(state.instances));
  const pickedInstance = picked === undefined ? undefined : state.instances[picked];
  const selectedKey = picked !== undefined && (sources.has(picked) || !picked.includes(':')) ? picked : fallback === undefined ? undefined : instanceKey(fallback.stepId, fallback.host);
  const emptyText =
    selectedKey === undefined || sources.has(selectedKey)
      ? undefined
      : pickedInstance === undefined || pickedInstance.attempt === 0
        ? t('deploy.output.notStarted')
        : t('deploy.output.noStreams');
  const phase = state.phase;

  return (
    <>
      {phase !== undefined && FINISHED.has(phase) && <p className="notice info">{t(`deploy.phase.${phase}` as MessageKey, { reason: state.abortReason ?? '' })}</p>}
      <StartPanel runId={runId} state={state} halted={run.halted !== undefined} />
      {state.questions.length > 0 && (
        <section className="stack" aria-label={t('deploy.questions.label')}>
          {state.questions.map((q) => (
            <QuestionCard key={q.id} question={q} stepTitle={'stepId' in q ? titles.get(q.stepId) : undefined} />
          ))}
        </section>
      )}
      <DeployProgress plan={plan} state={state} finished={phase !== undefined && FINISHED.has(phase)} />
      <div className="deploy-columns">
        <div className="stack">
          <h2>{t('deploy.steps.title')}</h2>
          {plan.steps.length === 0 ? <p className="muted">{t('deploy.steps.none')}</p> : <StepList plan={plan} state={state} selected={selectedKey} onSelect={setPicked} />}
          <RollbackList state={state} titles={titles} selected={selectedKey} onSelect={setPicked} />
          {state.adhoc.length > 0 && (
            <>
              <h2>{t('deploy.adhoc.title')}</h2>
              <ul className="instances" aria-label={t('deploy.adhoc.title')}>
                {state.adhoc.map((a) => (
                  <li key={a.adhocId} className={selectedKey === `adhoc:${a.adhocId}` ? 'instance selected' : 'instance'}>
                    <button type="button" className="instance-button" aria-pressed={selectedKey === `adhoc:${a.adhocId}`} onClick={() => setPicked(`adhoc:${a.adhocId}`)}>
                      <span className="instance-host">{a.host}</span>
                      <span className="mono">{a.command}</span>
                      <span className="muted">{a.reason}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        <OutputPanel runId={runId} source={selectedKey === undefined ? undefined : sources.get(selectedKey)} {...(emptyText === undefined ? {} : { emptyText })} />
      </div>
      {phase !== undefined && !FINISHED.has(phase) && <RunTools runId={runId} plan={plan} state={state} />}
    </>
  );
}
