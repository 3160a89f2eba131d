import type Database from 'better-sqlite3';

/**
 * One step of the schema's history. Migrations are append-only: once released, a migration is
 * never edited (a database in the field already ran it); a fix is a new migration. `up` runs
 * inside the migration transaction: it must not BEGIN/COMMIT itself nor change `foreign_keys`.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
