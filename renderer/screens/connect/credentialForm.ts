// The credential profile form turned into a credentials.set request, or the first thing missing.
// Secrets go into the request once; the form is cleared after saving.
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import type { MessageKey } from '../../i18n/t';

export type CredentialKind = 'keyFile' | 'agent' | 'password';
export type ScopeKind = 'all' | 'tags' | 'hosts';

export interface CredentialFormState {
  readonly name: string;
  readonly kind: CredentialKind;
  readonly path: string;
  readonly passphrase: string;
  readonly socketPath: string;
  readonly password: string;
  readonly scope: ScopeKind;
  readonly tags: string;
  readonly hosts: string;
}

export const EMPTY_CREDENTIAL_FORM: CredentialFormState = { name: '', kind: 'keyFile', path: '', passphrase: '', socketPath: '', password: '', scope: 'all', tags: '', hosts: '' };

type SetInput = MethodInput<'credentials.set'>;
type Scope = SetInput['appliesTo'];

/** "web, db  eu-west" → ['web', 'db', 'eu-west'] (duplicates dropped). */
export function splitNames(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((s) => s !== ''))];
}

export function credentialRequest(form: CredentialFormState): { ok: true; value: SetInput } | { ok: false; problem: MessageKey } {
  const name = form.name.trim();
  if (name === '') return { ok: false, problem: 'connect.form.needName' };
  let credential: SetInput['credential'];
  if (form.kind === 'keyFile') {
    if (form.path.trim() === '') return { ok: false, problem: 'connect.form.needPath' };
    credential = { kind: 'keyFile', path: form.path.trim(), ...(form.passphrase === '' ? {} : { passphrase: form.passphrase }) };
  } else if (form.kind === 'agent') {
    credential = { kind: 'agent', ...(form.socketPath.trim() === '' ? {} : { socketPath: form.socketPath.trim() }) };
  } else {
    if (form.password === '') return { ok: false, problem: 'connect.form.needPassword' };
    credential = { kind: 'password', password: form.password };
  }
  let appliesTo: Scope;
  if (form.scope === 'tags') {
    const tags = splitNames(form.tags);
    if (tags.length === 0) return { ok: false, problem: 'connect.form.needTags' };
    appliesTo = { tags };
  } else if (form.scope === 'hosts') {
    const hosts = splitNames(form.hosts);
    if (hosts.length === 0) return { ok: false, problem: 'connect.form.needHosts' };
    appliesTo = { hosts };
  } else {
    appliesTo = { all: true };
  }
  return { ok: true, value: { name, credential, appliesTo } };
}

type Summary = MethodOutput<'credentials.list'>['profiles'][number];

/** Which catalogue line and values say what a profile applies to. */
export function scopeOf(appliesTo: Summary['appliesTo']): { key: MessageKey; params?: Record<string, string> } {
  if ('tags' in appliesTo) return { key: 'connect.profiles.appliesTags', params: { tags: appliesTo.tags.join(', ') } };
  if ('hosts' in appliesTo) return { key: 'connect.profiles.appliesHosts', params: { hosts: appliesTo.hosts.join(', ') } };
  return { key: 'connect.profiles.appliesAll' };
}
