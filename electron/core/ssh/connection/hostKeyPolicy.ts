import { normalizeFingerprint } from './hostKeyFormat';
import type { HostEndpoint, HostKeyDecision, HostKeyOverride, HostKeyPolicy, KnownHostEntry, PresentedHostKey } from './types';

export interface RememberedHostKey {
  hostName: string;
  address: string;
  port: number;
  type: string;
  fingerprint: string;
  publicKey: string;
}

export interface RecordingHostKeyPolicy extends HostKeyPolicy {
  /** A changed key is accepted only if newFingerprint equals the presented one; the reason goes to the report. */
  overrideHostKey(args: { host: string; newFingerprint: string; reason: string }): void;
  remembered(): RememberedHostKey[];
}

/**
 * An in-memory HostKeyPolicy: keys recorded earlier (e.g. loaded from the store), entries imported
 * from a known_hosts file, and a decision port for keys seen for the first time. The runner persists
 * `remembered()`; the UI answers `decideUnknown`.
 */
export function createHostKeyPolicy(options: {
  decideUnknown: (host: HostEndpoint, presented: PresentedHostKey) => Promise<HostKeyDecision>;
  remembered?: RememberedHostKey[];
  knownHosts?: KnownHostEntry[];
  onRemember?: (key: RememberedHostKey) => void;
}): RecordingHostKeyPolicy {
  const remembered: RememberedHostKey[] = [...(options.remembered ?? [])];
  const overrides = new Map<string, HostKeyOverride>();
  const sameEndpoint = (key: RememberedHostKey, host: HostEndpoint): boolean =>
    key.hostName === host.name && key.address === host.address && key.port === host.port;

  return {
    decideUnknown: options.decideUnknown,
    known(host) {
      const fromStore = remembered.filter((key) => sameEndpoint(key, host)).map(({ type, fingerprint }) => ({ type, fingerprint }));
      const fromKnownHosts = (options.knownHosts ?? [])
        .filter((entry) => entry.marker === undefined && (entry.match(host.address, host.port) || entry.match(host.name, host.port)))
        .map(({ type, fingerprint }) => ({ type, fingerprint }));
      return [...fromStore, ...fromKnownHosts];
    },
    remember(host, presented) {
      const key: RememberedHostKey = {
        hostName: host.name,
        address: host.address,
        port: host.port,
        type: presented.type,
        fingerprint: presented.fingerprint,
        publicKey: presented.publicKey,
      };
      if (!remembered.some((k) => sameEndpoint(k, host) && k.fingerprint === key.fingerprint)) remembered.push(key);
      options.onRemember?.(key);
    },
    override(host) {
      return overrides.get(host.name);
    },
    overrideHostKey({ host, newFingerprint, reason }) {
      overrides.set(host, { newFingerprint: normalizeFingerprint(newFingerprint), reason });
    },
    remembered() {
      return [...remembered];
    },
  };
}
