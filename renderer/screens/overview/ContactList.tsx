// Who to call: key people first, each phone copyable in one click, and the backup to call when
// someone cannot be reached. Phones are text, not tel: links: the app shell opens no tel: URL, and
// the technician dials from a phone anyway.
import { useId } from 'react';
import type { PlanContact } from '../../../shared/plan';
import { CopyButton } from '../../components/CopyButton';
import { t } from '../../i18n/t';
import { contactsWithBackups } from './contacts';

export function ContactList({ contacts }: { readonly contacts: readonly PlanContact[] }) {
  const id = useId();
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('overview.contacts.title')}</h2>
      {contacts.length === 0 ? (
        <p className="notice warn">{t('overview.contacts.empty')}</p>
      ) : (
        <ul aria-label={t('overview.contacts.label')} className="overview-contacts">
          {contactsWithBackups(contacts).map(({ contact, backup }) => (
            <li key={contact.id}>
              <div className="row">
                <strong>{contact.name}</strong>
                <span>{contact.role}</span>
                {contact.organisation !== undefined && <span className="muted">{contact.organisation}</span>}
                {contact.key && <span className="badge warn">{t('overview.contacts.key')}</span>}
              </div>
              <div className="row">
                <span className="mono">{contact.phone}</span>
                <CopyButton value={contact.phone} label={t('overview.contacts.phone', { name: contact.name })} />
                {contact.email !== undefined && <span className="mono">{contact.email}</span>}
              </div>
              <p className="muted">
                {backup === undefined ? t('overview.contacts.noBackup') : t('overview.contacts.backup', { name: backup.name, role: backup.role, phone: backup.phone })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
