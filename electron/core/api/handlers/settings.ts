import { statfsSync } from 'node:fs';
import type { CredentialProfiles } from '../../credentials/credentialProfiles';
import type { Handlers } from '../dispatch';

type SettingsMethod = 'credentials.list' | 'credentials.set' | 'credentials.remove' | 'system.status';

export interface SettingsPorts {
  readonly credentials: CredentialProfiles;
  readonly dataDir: string;
  readonly appVersion: string;
}

/**
 * Below this much free space where runs are stored the UI warns on every screen: a 1 GB output is
 * ordinary, and a full disk halts a run (STORE_FULL) in the middle of a step.
 */
export const LOW_DISK_BYTES = 2 * 1024 * 1024 * 1024;

export function settingsHandlers(ports: SettingsPorts): Pick<Handlers, SettingsMethod> {
  return {
    'credentials.list': () => ({ profiles: ports.credentials.list() }),
    'credentials.set': (input) => ports.credentials.set(input.name, input.credential, input.appliesTo),
    'credentials.remove': (input) => ({ removed: ports.credentials.remove(input.name) }),
    'system.status': () => {
      const fs = statfsSync(ports.dataDir);
      const free = fs.bavail * fs.bsize;
      return { dataDir: ports.dataDir, diskFreeBytes: free, diskLow: free < LOW_DISK_BYTES, appVersion: ports.appVersion };
    },
  };
}
