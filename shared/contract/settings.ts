import { z } from 'zod';
import { method } from './define';

// The technician's identity (the report signing key behind the key-storage port), SSH credential
// profiles (secrets go in, never come back out), the machine's state (disk, battery) and a
// diagnostics export that leaves secrets out.

const Passphrase = z.string().min(8, 'at least 8 characters').max(1024);
const ProfileName = z.string().trim().min(1).max(100);

export const IdentityStatusSchema = z.object({
  /** missing: no key yet; locked: a passphrase-file store not yet opened this session; ready: can sign. */
  state: z.enum(['missing', 'locked', 'ready']),
  storeKind: z.enum(['os-keychain', 'passphrase-file']),
  technician: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** The OpenSSH public key line. */
  publicKey: z.string().nullable(),
  /** `<technician> namespaces="fieldrun-report" <public key>` for head office's allowed_signers. */
  allowedSignersLine: z.string().nullable(),
});

export const CredentialScopeSchema = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ tags: z.array(z.string().min(1).max(100)).min(1).max(100) }).strict(),
  z.object({ hosts: z.array(z.string().min(1).max(64)).min(1).max(1000) }).strict(),
]);

// The login user is the plan's (each host names its user); a profile says how to prove it.
export const CredentialInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keyFile'), path: z.string().min(1).max(4096), passphrase: z.string().min(1).max(1024).optional() }).strict(),
  z.object({ kind: z.literal('agent'), socketPath: z.string().min(1).max(4096).optional() }).strict(),
  z.object({ kind: z.literal('password'), password: z.string().min(1).max(4096) }).strict(),
]);

export const CredentialSummarySchema = z.object({
  name: z.string(),
  kind: z.enum(['keyFile', 'agent', 'password', 'other']),
  /** Key file path or agent socket; never a password or passphrase. */
  where: z.string().nullable(),
  appliesTo: CredentialScopeSchema,
});

export const settingsMethods = {
  'identity.get': method({
    summary: "The technician's report signing identity: state, public key, fingerprint and allowed_signers line.",
    mutates: false,
    input: z.object({}).strict(),
    output: IdentityStatusSchema,
  }),
  'identity.create': method({
    summary: 'Create the Ed25519 signing key on first use (passphrase needed where the key store is a passphrase file).',
    mutates: true,
    input: z.object({ technician: z.string().trim().min(1).max(200), passphrase: Passphrase.optional() }).strict(),
    output: IdentityStatusSchema,
  }),
  'identity.unlock': method({
    summary: 'Open the passphrase-protected key store for this session.',
    mutates: true,
    input: z.object({ passphrase: Passphrase }).strict(),
    output: IdentityStatusSchema,
  }),
  'credentials.list': method({
    summary: 'The SSH credential profiles of this session (names, kinds and scopes; never their secrets).',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ profiles: z.array(CredentialSummarySchema) }),
  }),
  'credentials.set': method({
    summary: 'Add or replace a credential profile applied to all hosts, to tags or to named hosts; kept in memory only.',
    mutates: true,
    input: z.object({ name: ProfileName, credential: CredentialInputSchema, appliesTo: CredentialScopeSchema }).strict(),
    output: CredentialSummarySchema,
  }),
  'credentials.remove': method({
    summary: 'Forget a credential profile.',
    mutates: true,
    input: z.object({ name: ProfileName }).strict(),
    output: z.object({ removed: z.boolean() }),
  }),
  'system.status': method({
    summary: "The laptop's state that matters on site: free disk space where runs are stored, and whether it is low.",
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({
      dataDir: z.string(),
      diskFreeBytes: z.number().nonnegative(),
      diskLow: z.boolean(),
      appVersion: z.string(),
    }),
  }),
  'diagnostics.export': method({
    summary: 'Write a diagnostics file (versions, settings without secrets, recent error codes, store health) and answer its path and text.',
    mutates: false,
    input: z.object({}).strict(),
    output: z.object({ path: z.string(), text: z.string() }),
  }),
} as const;
