// A plan's signature status as a badge; only a trusted signature is green.
import { t, type MessageKey } from '../../i18n/t';
import { signatureTone, type SignatureStatus } from './planProblems';

const STATUS_TEXT: Readonly<Record<SignatureStatus, MessageKey>> = {
  'valid-trusted': 'plans.signature.valid-trusted',
  'valid-untrusted': 'plans.signature.valid-untrusted',
  unsigned: 'plans.signature.unsigned',
  invalid: 'plans.signature.invalid',
};

export function SignatureBadge({ status, acknowledged }: { readonly status: SignatureStatus; readonly acknowledged?: boolean }) {
  return (
    <span className={`badge ${signatureTone(status)}`}>
      {acknowledged === true && status !== 'valid-trusted' ? t('plans.signature.withAcknowledgement', { status: t(STATUS_TEXT[status]) }) : t(STATUS_TEXT[status])}
    </span>
  );
}
