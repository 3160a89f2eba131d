// Head office as the rest of the core sees it: one object per configured server, holding a
// keep-alive connection, with every operation the outbox and the plan importer need.
import type { WallClock } from './backoff';
import { checkServer, type ServerCheck } from './checkServer';
import { downloadPlan, listPlans, type DownloadedPlan, type RemotePlan } from './headOfficePlans';
import { openConnection, type HeadOfficeAuth } from './headOfficeConnection';
import { probe, type ProbeResult } from './probe';
import { uploadBundle, type BundleOutcome, type BundleUpload } from './uploadBundle';

export interface HeadOfficeOptions {
  baseUrl: string;
  auth: HeadOfficeAuth;
  /** the company CA (PEM), trusted in addition to the public roots */
  ca?: string;
  clock: WallClock;
  /** uniform in [0, 1), for backoff jitter */
  random: () => number;
  /** idle time after which a request counts as failed (default 30 s) */
  timeoutMs?: number;
}

export interface HeadOffice {
  /** the checked base URL, always ending with `/` */
  readonly baseUrl: string;
  uploadBundle(bundle: BundleUpload): Promise<BundleOutcome>;
  probe(): Promise<ProbeResult>;
  listPlans(): Promise<RemotePlan[]>;
  downloadPlan(name: string, maxBytes?: number): Promise<DownloadedPlan>;
  checkServer(): Promise<ServerCheck>;
  /** closes idle keep-alive connections */
  close(): void;
}

/** Throws AppError SYNC_URL_INSECURE / SYNC_CONFIG_INVALID for an address or credential that cannot be used. */
export function createHeadOffice(options: HeadOfficeOptions): HeadOffice {
  const connection = openConnection({
    baseUrl: options.baseUrl,
    auth: options.auth,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const base = connection.base;
  return {
    baseUrl: base.href,
    uploadBundle: (bundle) => uploadBundle(connection, base, bundle),
    probe: () => probe(connection, base, options.clock),
    listPlans: () => listPlans(connection, base),
    downloadPlan: (name, maxBytes) => downloadPlan(connection, base, name, maxBytes),
    checkServer: () => checkServer(connection, base),
    close: () => connection.close(),
  };
}
