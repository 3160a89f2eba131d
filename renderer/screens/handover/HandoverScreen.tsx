// PLACEHOLDER: the Handover screen is being built this session.
import { t } from '../../i18n/t';

export function HandoverScreen() {
  return <h1>{t('handover.title')}</h1>;
}
