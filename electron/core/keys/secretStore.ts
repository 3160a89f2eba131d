/**
 * The key-storage port: where the technician's private signing key lives. The Electron shell
 * implements it over the OS keychain (safeStorage); where that is absent or only `basic_text`,
 * and in browser mode and tests, PassphraseFileSecretStore does. Values never touch disk in clear.
 */
export interface SecretStore {
  get(name: string): Promise<Buffer | undefined>;
  set(name: string, value: Buffer): Promise<void>;
  delete(name: string): Promise<void>;
  readonly kind: 'os-keychain' | 'passphrase-file';
}
