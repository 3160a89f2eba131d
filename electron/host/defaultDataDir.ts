import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where browser mode keeps its data unless told otherwise (same place on every run). */
export function defaultHostDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['FIELDRUN_DATA_DIR'] !== undefined && env['FIELDRUN_DATA_DIR'] !== '') return env['FIELDRUN_DATA_DIR'];
  const base = env['XDG_DATA_HOME'] !== undefined && env['XDG_DATA_HOME'] !== '' ? env['XDG_DATA_HOME'] : join(homedir(), '.local', 'share');
  return join(base, 'fieldrun-host');
}
