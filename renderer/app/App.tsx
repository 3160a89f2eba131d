// The frame: a header naming the run and its phase, the navigation (global screens, and the run's
// screens in the order of a visit), the warnings, and the screen. Alt+1…Alt+0 move between
// screens; a skip link goes straight to the content.
import { useEffect, useState } from 'react';
import { call } from '../api/api';
import { t, type MessageKey } from '../i18n/t';
import { useRunStore } from '../state/runStore';
import { ErrorBoundary } from './ErrorBoundary';
import { GLOBAL_SCREENS, RUN_SCREENS, isRunScreen, savedPlace, useNavigation, type ScreenId } from './navigation';
import { landingPlace } from './resume';
import { SCREENS } from './screens';
import { Warnings } from './Warnings';
import './app.css';

const SHORTCUT_ORDER: readonly ScreenId[] = ['plans', ...RUN_SCREENS, 'outbox', 'settings'];

function useLanding(): boolean {
  const [landed, setLanded] = useState(false);
  useEffect(() => {
    let alive = true;
    call('runs.list', {})
      .then((r) => r.runs)
      .catch(() => [])
      .then((runs) => {
        if (!alive) return;
        const place = landingPlace(savedPlace(), runs);
        useNavigation.getState().go(place.screen, place.runId);
        setLanded(true);
      });
    return () => {
      alive = false;
    };
  }, []);
  return landed;
}

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      // The physical key: on macOS Alt+digit types a symbol, so e.key is not the digit.
      const digit = /^Digit(\d)$/.exec(e.code)?.[1];
      if (digit === undefined) return;
      const index = digit === '0' ? 9 : Number(digit) - 1;
      const screen = SHORTCUT_ORDER[index];
      if (screen === undefined) return;
      const { runId, go } = useNavigation.getState();
      if (isRunScreen(screen) && runId === undefined) return;
      e.preventDefault();
      go(screen);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function NavButton({ screen }: { readonly screen: ScreenId }) {
  const current = useNavigation((s) => s.screen);
  const go = useNavigation((s) => s.go);
  const shortcut = SHORTCUT_ORDER.indexOf(screen) + 1;
  return (
    <li>
      <button
        type="button"
        className={current === screen ? 'nav-item current' : 'nav-item'}
        aria-current={current === screen ? 'page' : undefined}
        aria-keyshortcuts={`Alt+${shortcut % 10}`}
        onClick={() => go(screen)}
      >
        {t(`nav.${screen}` as MessageKey)}
      </button>
    </li>
  );
}

export function App() {
  const landed = useLanding();
  useShortcuts();
  const screen = useNavigation((s) => s.screen);
  const runId = useNavigation((s) => s.runId);
  const run = useRunStore((s) => s.run);
  const openRun = useRunStore((s) => s.open);

  useEffect(() => {
    openRun(runId);
  }, [runId, openRun]);

  useEffect(() => {
    // Tests and the UI benchmark wait for this: the first real screen is on the page.
    if (landed) document.body.dataset['ready'] = 'true';
  }, [landed]);

  const Screen = SCREENS[screen];
  const label = run?.state.label ?? runId;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('frame.skipToContent')}
      </a>
      <header className="app-header">
        <strong>{t('app.name')}</strong>
        {runId !== undefined && label !== undefined && <span>{t('frame.run', { label })}</span>}
        {run?.state.phase !== undefined && <span className="badge info">{t('frame.phase', { phase: run.state.phase })}</span>}
      </header>
      <nav className="app-nav" aria-label={t('nav.label')}>
        <ul>
          <NavButton screen="plans" />
        </ul>
        <h2 className="nav-section">{t('nav.runSection')}</h2>
        {runId === undefined ? (
          <p className="muted">{t('nav.noRun')}</p>
        ) : (
          <ul>
            {RUN_SCREENS.map((s) => (
              <NavButton key={s} screen={s} />
            ))}
          </ul>
        )}
        <ul>
          {GLOBAL_SCREENS.filter((s) => s !== 'plans').map((s) => (
            <NavButton key={s} screen={s} />
          ))}
        </ul>
        <p className="muted nav-hint">{t('nav.shortcutHint')}</p>
      </nav>
      <main id="main" className="app-main" tabIndex={-1}>
        <Warnings />
        {landed && (
          <ErrorBoundary resetKey={`${screen}:${runId ?? ''}`}>
            <Screen />
          </ErrorBoundary>
        )}
      </main>
    </div>
  );
}
