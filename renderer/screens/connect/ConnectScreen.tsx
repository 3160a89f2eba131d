// PLACEHOLDER: the Connect screen is being built this session.
import { t } from '../../i18n/t';

export function ConnectScreen() {
  return <h1>{t('connect.title')}</h1>;
}
