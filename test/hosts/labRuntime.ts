// What a running lab keeps about itself; shared by the start-up code, the fault helpers and
// the TestLab object handed to tests.
import type { HostFileSystem } from './hostFileSystem';
import type { LabRecord } from './labRegistry';
import type { SshdLaunch } from './sshdProcess';
import type { NormalizedSpec, PlannedHost } from './topology';
import type { TestHostKey } from './types';

export interface HostRuntime {
  spec: NormalizedSpec;
  address: string;
  port: number;
  hostKeys: TestHostKey[];
  directlyReachable: boolean;
  launch: SshdLaunch;
  listenerPid: number | undefined;
  /** namespaces mode only */
  planned?: PlannedHost;
  fileSystem?: HostFileSystem;
  netFaults: { down: boolean; lossPercent: number };
}

export interface LabRuntime {
  labId: string;
  mode: 'namespaces' | 'loopback';
  record: LabRecord;
  hosts: Map<string, HostRuntime>;
  /** cleanups that live in this process (latency proxies) */
  closers: Set<() => Promise<void>>;
  stopped: boolean;
}

export function hostOf(rt: LabRuntime, name: string): HostRuntime {
  const h = rt.hosts.get(name);
  if (h === undefined) throw new Error(`test lab has no host '${name}' (hosts: ${[...rt.hosts.keys()].join(', ')})`);
  if (rt.stopped) throw new Error(`test lab ${rt.labId} is stopped`);
  return h;
}
