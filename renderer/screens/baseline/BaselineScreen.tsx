// PLACEHOLDER: the Baseline screen is being built this session.
import { t } from '../../i18n/t';

export function BaselineScreen() {
  return <h1>{t('baseline.title')}</h1>;
}
