// PLACEHOLDER: the Deploy screen is being built this session.
import { t } from '../../i18n/t';

export function DeployScreen() {
  return <h1>{t('deploy.title')}</h1>;
}
