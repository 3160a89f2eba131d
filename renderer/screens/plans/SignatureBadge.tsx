import { t, type MessageKey } from '../../i18n/t';
import { signatureTone, type SignatureStatus } from './planProblems';

export function SignatureBadge({ status, acknowledged }: { readonly status: SignatureStatus; readonly acknowledged?: boolean }) {
  return (
    <span className={`badge ${signatureTone(status)}`}>
      {t(`plans.signature.${status}` as MessageKey)}
      {acknowledged === true && status !== 'valid-trusted' ? ` · ${t('plans.signature.acknowledged')}` : ''}
    </span>
  );
}
