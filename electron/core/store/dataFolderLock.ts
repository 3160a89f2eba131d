import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';

export const LOCK_FILE = 'fieldrun.lock';
export const OWNER_FILE = 'fieldrun.owner.json';

/** One process at a time owns a data folder; this is the proof that we do. */
export interface DataFolderLock {
  readonly lockPath: string;
  release(): void;
}

interface Owner {
  pid: number;
  hostname: string;
  since: string;
}

/**
 * Takes the data-folder lock: an exclusive SQLite lock on `fieldrun.lock`, held for the life of the
 * connection (`locking_mode=EXCLUSIVE`). It is an OS file lock, so it dies with the process: a
 * SIGKILLed owner leaves nothing behind that blocks the next start. SQLite's unix VFS also tracks
 * locks per inode inside a process, so a second opener in the same process is refused too (POSIX
 * locks alone would let it through).
 *
 * Never open `fieldrun.lock` with anything but SQLite: closing any other descriptor on that file
 * drops every POSIX lock this process holds on it. The holder's pid therefore lives in a separate
 * file, read only by a refused opener to name who holds the lock.
 */
export function acquireDataFolderLock(dataDir: string): DataFolderLock {
  const lockPath = join(dataDir, LOCK_FILE);
  const ownerPath = join(dataDir, OWNER_FILE);
  const connection = new Database(lockPath, { timeout: 0 });
  try {
    connection.pragma('locking_mode = EXCLUSIVE');
    // An exclusive transaction in exclusive locking mode keeps its lock after COMMIT.
    connection.exec('BEGIN EXCLUSIVE');
    connection.exec('COMMIT');
  } catch (error) {
    connection.close();
    if (error instanceof Database.SqliteError && (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED'))) {
      throw lockedError(dataDir, readLiveOwner(ownerPath));
    }
    if (error instanceof Database.SqliteError && (error.code.startsWith('SQLITE_NOTADB') || error.code.startsWith('SQLITE_CORRUPT'))) {
      throw new AppError(
        'STORE_CORRUPT',
        `The lock file ${lockPath} is damaged. Make sure no Fieldrun is running, delete that one file, then start Fieldrun again.`,
        { dataDir, sqliteCode: error.code },
      );
    }
    throw error;
  }
  writeOwner(ownerPath);
  let held = true;
  return {
    lockPath,
    release(): void {
      if (!held) return;
      held = false;
      rmSync(ownerPath, { force: true });
      connection.close();
    },
  };
}

function lockedError(dataDir: string, owner: Owner | undefined): AppError {
  const who = owner === undefined ? 'another Fieldrun process' : `another Fieldrun process (pid ${owner.pid} on ${owner.hostname}, since ${owner.since})`;
  return new AppError(
    'STORE_LOCKED',
    `The data folder ${dataDir} is in use by ${who}. Only one Fieldrun may use a data folder at a time: close the other one, then try again.`,
    owner === undefined ? { dataDir } : { dataDir, pid: owner.pid, hostname: owner.hostname, since: owner.since },
  );
}

function writeOwner(ownerPath: string): void {
  const owner: Owner = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  const temporary = `${ownerPath}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  renameSync(temporary, ownerPath);
}

// The owner file can be stale (its writer was killed and the new holder has not written yet):
// name a pid only if that process is alive.
function readLiveOwner(ownerPath: string): Owner | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(ownerPath, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { pid, hostname: host, since } = parsed as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || typeof since !== 'string') return undefined;
  if (host === hostname() && !isAlive(pid)) return undefined;
  return { pid, hostname: host, since };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
