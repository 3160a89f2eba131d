import { writeDiagnostics, type DiagnosticsSources } from '../../diagnostics';
import type { KeyVault } from '../../keys';
import type { Handlers } from '../dispatch';

type IdentityMethod = 'identity.get' | 'identity.create' | 'identity.unlock' | 'diagnostics.export';

export interface IdentityPorts {
  readonly vault: KeyVault;
  /** Everything diagnostics reads except the identity, which comes from the vault. */
  readonly diagnostics: Omit<DiagnosticsSources, 'identity'>;
}

export function identityHandlers(ports: IdentityPorts): Pick<Handlers, IdentityMethod> {
  const { vault } = ports;
  return {
    'identity.get': () => vault.status(),
    'identity.create': ({ technician, passphrase }) => vault.create(technician, passphrase),
    'identity.unlock': ({ passphrase }) => vault.unlock(passphrase),
    'diagnostics.export': () => writeDiagnostics({ ...ports.diagnostics, identity: () => vault.status() }),
  };
}
