// The values the plan asks for on site (secret variables, sudo passwords per host): typed here,
// sent once with runs.secrets.provide, and cleared from the page. The run lists only their names.
import { useId, useState } from 'react';
import type { Plan } from '../../../shared/plan';
import type { RunState } from '../../../shared/run';
import { call } from '../../api/api';
import { runAction, type RunActionFailure } from '../../components/runAction';
import { ErrorNotice } from '../../components/states';
import { t } from '../../i18n/t';
import { isProvided, neededValues } from './planNeeds';

export function SecretValues({ runId, plan, state }: { readonly runId: string; readonly plan: Plan; readonly state: RunState }) {
  const [values, setValues] = useState<Readonly<Record<string, string>>>({});
  const [done, setDone] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<RunActionFailure | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const needed = neededValues(plan);

  const give = async (): Promise<void> => {
    const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    setValues({});
    setDone(undefined);
    if (Object.keys(filled).length === 0) return setFailure({ code: 'INPUT_INVALID', message: t('connect.secrets.nothing') });
    setBusy(true);
    // runs.secrets.provide names no journal position: it adds facts without deciding on any.
    const failed = await runAction(() => call('runs.secrets.provide', { runId, values: filled }));
    setFailure(failed);
    if (failed === undefined) setDone(t('connect.secrets.saved', { names: Object.keys(filled).join(', ') }));
    setBusy(false);
  };

  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('connect.secrets.title')}</h2>
      {needed.length === 0 ? (
        <p className="muted">{t('connect.secrets.none')}</p>
      ) : (
        <form
          className="stack"
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void give();
          }}
        >
          <p className="muted">{t('connect.secrets.hint')}</p>
          <ul aria-label={t('connect.secrets.label')} className="connect-list">
            {needed.map((v) => {
              const label = v.kind === 'sudo' ? t('connect.secrets.sudo', { host: v.host ?? '' }) : v.name;
              const given = isProvided(state, v);
              return (
                <li key={v.name} className="stack">
                  <label htmlFor={`${id}-${v.name}`}>
                    <span className="mono">{label}</span> <span className={given ? 'badge ok' : 'badge warn'}>{given ? t('connect.secrets.given') : t('connect.secrets.missing')}</span>
                  </label>
                  {v.prompt !== undefined && <span className="muted">{v.prompt}</span>}
                  <input
                    id={`${id}-${v.name}`}
                    type={v.secret ? 'password' : 'text'}
                    autoComplete="off"
                    value={values[v.name] ?? ''}
                    onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                  />
                </li>
              );
            })}
          </ul>
          <div>
            <button type="submit" className="primary" disabled={busy}>
              {t('connect.secrets.save')}
            </button>
          </div>
        </form>
      )}
      {done !== undefined && (
        <p role="status" className="notice ok">
          {done}
        </p>
      )}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </section>
  );
}
