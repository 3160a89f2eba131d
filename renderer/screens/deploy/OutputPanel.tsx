// The output of the picked instance (or ad-hoc command): stdout or stderr in the log view.
import { useId, useState } from 'react';
import { t } from '../../i18n/t';
import { LogView } from './log/LogView';

export interface OutputSource {
  readonly key: string;
  readonly title: string;
  readonly streams: { readonly stdout: string; readonly stderr: string };
  readonly lengths: { readonly stdout: number; readonly stderr: number } | undefined;
}

export function OutputPanel({ runId, source, emptyText }: { readonly runId: string; readonly source: OutputSource | undefined; readonly emptyText?: string }) {
  const [choice, setChoice] = useState<{ key: string; which: 'stdout' | 'stderr' } | undefined>(undefined);
  const id = useId();
  // A step that wrote only to stderr (a failure, typically) opens on stderr.
  const preferred = source?.lengths !== undefined && source.lengths.stdout === 0 && source.lengths.stderr > 0 ? 'stderr' : 'stdout';
  const which = choice !== undefined && choice.key === source?.key ? choice.which : preferred;
  const setWhich = (w: 'stdout' | 'stderr'): void => setChoice(source === undefined ? undefined : { key: source.key, which: w });
  if (source === undefined) {
    return (
      <section className="card" aria-label={t('deploy.output.label')}>
        <p className="muted">{emptyText ?? t('deploy.output.none')}</p>
      </section>
    );
  }
  return (
    <section className="card stack" aria-label={t('deploy.output.label')}>
      <div className="row" role="radiogroup" aria-label={t('deploy.output.stream')}>
        {(['stdout', 'stderr'] as const).map((s) => (
          <label key={s} htmlFor={`${id}-${s}`} className="row">
            <input id={`${id}-${s}`} type="radio" name={`${id}-stream`} checked={which === s} onChange={() => setWhich(s)} />
            {t(s === 'stdout' ? 'deploy.output.stdout' : 'deploy.output.stderr')}
          </label>
        ))}
      </div>
      <LogView
        key={`${source.key}:${which}`}
        runId={runId}
        stream={source.streams[which]}
        finalLength={source.lengths?.[which]}
        label={t('deploy.output.title', { stream: which, title: source.title })}
      />
    </section>
  );
}
