export type {
  ConnectOptions,
  ConnectionPool,
  ConnectionState,
  Credential,
  CredentialKind,
  CredentialProfile,
  ExecOptions,
  HostEndpoint,
  HostKeyDecision,
  HostKeyOverride,
  HostKeyPolicy,
  HostKeyVerdict,
  KnownHostEntry,
  PresentedHostKey,
  ReconnectOptions,
  SshConfigHost,
  SshConnection,
} from './types';
export { connect } from './connect';
export { createConnectionPool } from './pool';
export { DEFAULTS as CONNECTION_DEFAULTS } from './connectHop';
export { fingerprintOf, normalizeFingerprint, sameFingerprint, keyTypesOf } from './hostKeyFormat';
export { createHostKeyPolicy, type RecordingHostKeyPolicy, type RememberedHostKey } from './hostKeyPolicy';
export { parseKnownHosts } from './knownHosts';
export { parseSshConfig, hostEndpointFromSshConfig, type SshConfigContext } from './sshConfig';
export { credentialsFor, prepareCredentials, readKeyFile, requireAgentSocket, MAX_KEY_FILE_BYTES } from './credentials';
