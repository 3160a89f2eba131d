// PLACEHOLDER: the Overview screen is being built this session.
import { t } from '../../i18n/t';

export function OverviewScreen() {
  return <h1>{t('overview.title')}</h1>;
}
