// PLACEHOLDER: the Outbox screen is being built this session.
import { t } from '../../i18n/t';

export function OutboxScreen() {
  return <h1>{t('outbox.title')}</h1>;
}
