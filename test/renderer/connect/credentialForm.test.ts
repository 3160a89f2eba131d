import { describe, expect, it } from 'vitest';
import { credentialRequest, EMPTY_CREDENTIAL_FORM, scopeOf, splitNames } from '../../../renderer/screens/connect/credentialForm';
import { CredentialInputSchema, CredentialScopeSchema } from '../../../shared/contract/settings';

describe('the credential profile form', () => {
  it('sends a key file with its passphrase, applied to all hosts, in the shape credentials.set takes', () => {
    const request = credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: ' lab ', path: ' /home/tech/.ssh/id_ed25519 ', passphrase: 'pass phrase' });
    expect(request).toEqual({ ok: true, value: { name: 'lab', credential: { kind: 'keyFile', path: '/home/tech/.ssh/id_ed25519', passphrase: 'pass phrase' }, appliesTo: { all: true } } });
    if (!request.ok) return;
    expect(CredentialInputSchema.safeParse(request.value.credential).success).toBe(true);
    expect(CredentialScopeSchema.safeParse(request.value.appliesTo).success).toBe(true);
  });

  it('leaves out an empty passphrase and agent socket, and sends a password as typed (spaces kept)', () => {
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'k', path: '/k' })).toMatchObject({ ok: true, value: { credential: { kind: 'keyFile', path: '/k' } } });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'a', kind: 'agent' })).toMatchObject({ ok: true, value: { credential: { kind: 'agent' } } });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'p', kind: 'password', password: ' s3cret ' })).toMatchObject({ ok: true, value: { credential: { kind: 'password', password: ' s3cret ' } } });
  });

  it('scopes a profile to tags or hosts, split on commas and spaces', () => {
    expect(splitNames(' web, db  eu-west,web ')).toEqual(['web', 'db', 'eu-west']);
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'x', kind: 'agent', scope: 'tags', tags: 'web db' })).toMatchObject({ ok: true, value: { appliesTo: { tags: ['web', 'db'] } } });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'x', kind: 'agent', scope: 'hosts', hosts: 'web1,db1' })).toMatchObject({ ok: true, value: { appliesTo: { hosts: ['web1', 'db1'] } } });
  });

  it('says what is missing instead of sending an incomplete profile', () => {
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, path: '/k' })).toEqual({ ok: false, problem: 'connect.form.needName' });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'k' })).toEqual({ ok: false, problem: 'connect.form.needPath' });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'p', kind: 'password' })).toEqual({ ok: false, problem: 'connect.form.needPassword' });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'a', kind: 'agent', scope: 'tags', tags: ' , ' })).toEqual({ ok: false, problem: 'connect.form.needTags' });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL_FORM, name: 'a', kind: 'agent', scope: 'hosts' })).toEqual({ ok: false, problem: 'connect.form.needHosts' });
  });

  it('describes what a saved profile applies to', () => {
    expect(scopeOf({ all: true })).toEqual({ key: 'connect.profiles.appliesAll' });
    expect(scopeOf({ tags: ['web', 'db'] })).toEqual({ key: 'connect.profiles.appliesTags', params: { tags: 'web, db' } });
    expect(scopeOf({ hosts: ['web1'] })).toEqual({ key: 'connect.profiles.appliesHosts', params: { hosts: 'web1' } });
  });
});
