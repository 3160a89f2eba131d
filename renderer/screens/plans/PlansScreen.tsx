// PLACEHOLDER: the Plans screen is being built this session.
import { t } from '../../i18n/t';

export function PlansScreen() {
  return <h1>{t('plans.title')}</h1>;
}
