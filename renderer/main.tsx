// A placeholder page until the real screens exist: it proves the path end to end (transport,
// contract, core) by listing the imported plans.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { MethodOutput } from '../shared/contract';
import { connectApi } from './connectApi';

type Plans = MethodOutput<'plans.list'>['plans'];
type View = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; plans: Plans };

const api = connectApi();

function PlansPlaceholder() {
  const [view, setView] = useState<View>({ state: 'loading' });
  useEffect(() => {
    if ('error' in api) {
      setView({ state: 'error', message: api.error });
      return undefined;
    }
    const load = (): void => {
      void api['plans.list']({}).then((r) => setView(r.ok ? { state: 'ready', plans: r.value.plans } : { state: 'error', message: r.error.message }));
    };
    load();
    return api.subscribe('plans.changed', load);
  }, []);

  return (
    <main>
      <h1>Fieldrun</h1>
      {view.state === 'loading' && <p role="status">Loading plans…</p>}
      {view.state === 'error' && <p role="alert">{view.message}</p>}
      {view.state === 'ready' && view.plans.length === 0 && <p>No plans yet. Import one from the File menu or with `fieldrun plan import`.</p>}
      {view.state === 'ready' && view.plans.length > 0 && (
        <ul aria-label="Plans">
          {view.plans.map((p) => (
            <li key={p.hash}>
              {p.title} — {p.client}, {p.site} (v{p.version}, {p.signature.status})
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<StrictMode><PlansPlaceholder /></StrictMode>);
