import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';

const hasPrefix = (code: string, prefix: string): boolean => code === prefix || code.startsWith(`${prefix}_`);

/**
 * Turns a better-sqlite3 error into the AppError a caller can act on. Matches on SQLite's result
 * code (the library's stable contract), never on message text. Errors that are not SQLite's pass
 * through unchanged: they are bugs and should surface as such.
 */
export function translateStoreError(error: unknown, operation: string): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const details = { operation, sqliteCode: error.code };
  const code = error.code;
  if (hasPrefix(code, 'SQLITE_FULL')) {
    return new AppError(
      'STORE_FULL',
      'The disk holding the Fieldrun data folder is full; nothing from this operation was saved. Free some disk space, then try again.',
      details,
    );
  }
  if (hasPrefix(code, 'SQLITE_CORRUPT') || hasPrefix(code, 'SQLITE_NOTADB')) {
    return new AppError(
      'STORE_CORRUPT',
      'The Fieldrun database is damaged. Stop using this data folder, keep a copy of it, and contact head office before trying to repair anything.',
      details,
    );
  }
  if (hasPrefix(code, 'SQLITE_BUSY') || hasPrefix(code, 'SQLITE_LOCKED')) {
    return new AppError(
      'STORE_LOCKED',
      'The Fieldrun database is in use by another program. Close any other tool that has the data folder open, then try again.',
      details,
    );
  }
  if (['SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM'].some((p) => hasPrefix(code, p))) {
    return new AppError(
      'STORE_IO_FAILED',
      'Fieldrun could not read or write its data folder. Check that the disk is present and writable, then try again.',
      details,
    );
  }
  return new AppError('INTERNAL', `The store failed during ${operation}. This is a bug in Fieldrun; please report it.`, details);
}

/** Runs one store operation and translates what SQLite throws at the store boundary. */
export function guarded<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translateStoreError(error, operation);
  }
}
