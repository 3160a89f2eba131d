// PLACEHOLDER: the Settings screen is being built this session.
import { t } from '../../i18n/t';

export function SettingsScreen() {
  return <h1>{t('settings.title')}</h1>;
}
