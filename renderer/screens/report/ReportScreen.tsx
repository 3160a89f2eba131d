// PLACEHOLDER: the Report screen is being built this session.
import { t } from '../../i18n/t';

export function ReportScreen() {
  return <h1>{t('report.title')}</h1>;
}
