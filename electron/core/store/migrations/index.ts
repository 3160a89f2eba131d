import type { Migration } from './migration';
import { initial } from './0001-initial';
import { outbox } from './0002-outbox';

export type { Migration } from './migration';

/** Every migration, in order. Append only: never edit, reorder or remove a released entry. */
export const MIGRATIONS: readonly Migration[] = [initial, outbox];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
