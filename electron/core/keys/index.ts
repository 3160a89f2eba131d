// The technician's signing identity behind the key-storage port.
export type { SecretStore } from './secretStore';
export { PassphraseFileSecretStore, defaultSecretsPath, MIN_PASSPHRASE_LENGTH, type OpenPassphraseFileInput } from './passphraseFileSecretStore';
export { SCRYPT_PARAMETERS, SECRET_FILE_VERSION, type ScryptParameters } from './secretFileFormat';
export { identityPath } from './identityFile';
export {
  loadOrCreateIdentity,
  importExistingKey,
  type SigningIdentity,
  type LoadOrCreateIdentityInput,
  type ImportExistingKeyInput,
} from './signingIdentity';
export { REPORT_NAMESPACE, PLAN_NAMESPACE } from '../sshsig/namespaces';
export { KeyVault, type KeyVaultOptions, type KeyVaultStatus } from './keyVault';
