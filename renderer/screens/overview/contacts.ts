// Contacts with their backups resolved, key people first, as the overview lists them.
import type { PlanContact } from '../../../shared/plan';

export interface ContactView {
  readonly contact: PlanContact;
  readonly backup: PlanContact | undefined;
}

export function contactsWithBackups(contacts: readonly PlanContact[]): ContactView[] {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const ordered = [...contacts.filter((c) => c.key), ...contacts.filter((c) => !c.key)];
  return ordered.map((contact) => ({ contact, backup: contact.backup === undefined ? undefined : byId.get(contact.backup) }));
}
