// PLACEHOLDER: the Checklist screen is being built this session.
import { t } from '../../i18n/t';

export function ChecklistScreen() {
  return <h1>{t('checklist.title')}</h1>;
}
