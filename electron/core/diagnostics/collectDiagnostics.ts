import { statfs, stat } from 'node:fs/promises';
import { arch, cpus, freemem, homedir, platform, release, totalmem, type } from 'node:os';
import { isAppError } from '../../../shared/errors';
import type { KeyVaultStatus } from '../keys';
import { LATEST_SCHEMA_VERSION, type Store } from '../store';
import type { RecordedFailure } from './recentFailures';

// What support needs to understand a problem, and nothing a client would mind leaving the site:
// versions, the machine, free space, the store's health and size, how many plans, runs and
// outbox entries there are, the signing key's public fingerprint and the last error codes.
// Left out on purpose: plan contents and names, host names and addresses, variable values,
// secrets, command output, notes, head-office addresses, error messages (they quote such values).

export interface DiagnosticsSources {
  readonly store: Store;
  readonly appVersion: string;
  readonly identity: () => Promise<KeyVaultStatus>;
  /** The phase of every run (from the runner, so open runs count as they are now). */
  readonly runPhases: () => ReadonlyArray<string | undefined>;
  readonly failures: () => readonly RecordedFailure[];
  /** The kinds of the SSH credential profiles of this session (never their names, paths or secrets). */
  readonly credentialKinds?: () => readonly string[];
  readonly now?: () => Date;
}

export interface Diagnostics {
  readonly generatedAt: string;
  readonly sections: ReadonlyArray<{ readonly title: string; readonly lines: ReadonlyArray<readonly [string, string]> }>;
}

export async function collectDiagnostics(sources: DiagnosticsSources): Promise<Diagnostics> {
  const { store } = sources;
  const generatedAt = (sources.now?.() ?? new Date()).toISOString();
  return {
    generatedAt,
    sections: [
      { title: 'Fieldrun', lines: [['generated (UTC)', generatedAt], ['app version', sources.appVersion]] },
      { title: 'Runtime', lines: runtimeLines() },
      { title: 'Data folder', lines: await dataFolderLines(store) },
      { title: 'Store', lines: storeLines(store) },
      { title: 'Contents', lines: contentLines(store, sources.runPhases()) },
      { title: 'Signing identity', lines: await identityLines(sources.identity) },
      { title: 'Settings', lines: settingLines(sources.credentialKinds?.() ?? []) },
      { title: 'Recent failures (method and code only, oldest first)', lines: failureLines(sources.failures()) },
    ],
  };
}

function runtimeLines(): Array<[string, string]> {
  return [
    ['node', process.versions.node],
    ['electron', process.versions['electron'] ?? 'not running under Electron'],
    ['chrome', process.versions['chrome'] ?? '-'],
    ['v8', process.versions.v8],
    ['native module ABI', process.versions.modules],
    ['os', `${type()} ${release()} (${platform()}, ${arch()})`],
    ['cpus', String(cpus().length)],
    ['memory', `${mebibytes(freemem())} free of ${mebibytes(totalmem())}`],
  ];
}

async function dataFolderLines(store: Store): Promise<Array<[string, string]>> {
  // The home folder names the user; support needs the layout, not the name.
  const home = homedir();
  const shown = home.length > 1 && store.dataDir.startsWith(home) ? `~${store.dataDir.slice(home.length)}` : store.dataDir;
  const lines: Array<[string, string]> = [['path', shown]];
  try {
    const fs = await statfs(store.dataDir);
    lines.push(['free space', `${mebibytes(fs.bavail * fs.bsize)} of ${mebibytes(fs.blocks * fs.bsize)}`]);
  } catch (error) {
    lines.push(['free space', `unknown (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  for (const [label, path] of [['database size', store.dbPath], ['write-ahead log size', `${store.dbPath}-wal`]] as const) {
    try {
      lines.push([label, mebibytes((await stat(path)).size)]);
    } catch {
      lines.push([label, 'none']);
    }
  }
  return lines;
}

function storeLines(store: Store): Array<[string, string]> {
  const version = Number(store.db.pragma('user_version', { simple: true }));
  let health: string;
  try {
    // quick_check: the integrity check without the index cross-checks, fast enough to run on demand.
    const rows = store.db.pragma('quick_check(20)') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    health = problems.length === 0 ? 'ok (quick_check)' : `${problems.length} problem(s) (quick_check): ${problems.join('; ')}`;
  } catch (error) {
    health = `quick_check could not run (${error instanceof Error ? error.name : 'error'})`;
  }
  return [
    ['sqlite', String((store.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v)],
    ['schema version', `${version} (this build knows up to ${LATEST_SCHEMA_VERSION})`],
    ['journal mode', String(store.db.pragma('journal_mode', { simple: true }))],
    ['synchronous', SYNCHRONOUS[Number(store.db.pragma('synchronous', { simple: true }))] ?? 'unknown'],
    ['health', health],
  ];
}

function contentLines(store: Store, phases: ReadonlyArray<string | undefined>): Array<[string, string]> {
  const count = (table: string): string => (tableExists(store, table) ? String((store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n) : 'no table');
  const byPhase = new Map<string, number>();
  for (const phase of phases) byPhase.set(phase ?? 'unknown', (byPhase.get(phase ?? 'unknown') ?? 0) + 1);
  const outbox = tableExists(store, 'outbox') ? (store.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state ORDER BY state').all() as Array<{ state: string; n: number }>) : [];
  return [
    ['plans', count('plans')],
    ['runs', `${phases.length}${byPhase.size === 0 ? '' : ` (${[...byPhase].sort().map(([phase, n]) => `${phase}: ${n}`).join(', ')})`}`],
    ['journal events', count('journal')],
    ['output chunks', count('output_chunks')],
    ['outbox entries', `${count('outbox')}${outbox.length === 0 ? '' : ` (${outbox.map((o) => `${o.state}: ${o.n}`).join(', ')})`}`],
  ];
}

function tableExists(store: Store, table: string): boolean {
  return store.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

async function identityLines(identity: () => Promise<KeyVaultStatus>): Promise<Array<[string, string]>> {
  try {
    const status = await identity();
    return [
      ['state', status.state],
      ['key store', status.storeKind],
      ['fingerprint', status.fingerprint ?? '-'],
    ];
  } catch (error) {
    return [['state', `cannot be read (${isAppError(error) ? error.code : 'unexpected error'})`]];
  }
}

function settingLines(credentialKinds: readonly string[]): Array<[string, string]> {
  const byKind = new Map<string, number>();
  for (const kind of credentialKinds) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  return [['ssh credential profiles', `${credentialKinds.length}${byKind.size === 0 ? '' : ` (${[...byKind].sort().map(([kind, n]) => `${kind}: ${n}`).join(', ')})`}`]];
}

function failureLines(failures: readonly RecordedFailure[]): Array<[string, string]> {
  if (failures.length === 0) return [['none', 'since the app started']];
  return failures.map((f) => [f.timeUtc, `${f.method}: ${f.code}`]);
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

function mebibytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
