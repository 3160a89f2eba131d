// Settings: the signing key, head office, trusted plan signers, appearance, diagnostics and the
// computer's state. Each section loads and fails on its own, so one unreachable part (head office
// not built, a locked key) never hides the others.
import { t } from '../../i18n/t';
import { AboutSection } from './AboutSection';
import { DiagnosticsSection } from './DiagnosticsSection';
import { HeadOfficeSection } from './HeadOfficeSection';
import { IdentitySection } from './IdentitySection';
import { PlanSignersSection } from './PlanSignersSection';
import { ThemeSection } from './ThemeSection';
import './settings.css';

export function SettingsScreen() {
  return (
    <div className="stack settings">
      <h1>{t('settings.title')}</h1>
      <IdentitySection />
      <HeadOfficeSection />
      <PlanSignersSection />
      <ThemeSection />
      <DiagnosticsSection />
      <AboutSection />
    </div>
  );
}
