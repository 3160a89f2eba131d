import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The folder (set by the Electron shell) that holds better-sqlite3 builds per ABI: `<dir>/abi-<N>/better_sqlite3.node`. */
export const NATIVE_DIR_ENV = 'FIELDRUN_NATIVE_DIR';

export function nativeBindingFile(nativeDir: string, abi: string): string {
  return join(nativeDir, `abi-${abi}`, 'better_sqlite3.node');
}

/**
 * better-sqlite3 is built twice: for Node (tests, host, CLI: its default place in node_modules)
 * and for Electron's ABI in a folder of its own. Under Electron the build matching
 * `process.versions.modules` is chosen; under Node nothing is passed and the default is used.
 * Give the result to `new Database(path, betterSqliteOptions())`.
 */
export function betterSqliteOptions(
  versions: NodeJS.ProcessVersions = process.versions,
  env: NodeJS.ProcessEnv = process.env,
): { nativeBinding?: string } {
  const nativeDir = env[NATIVE_DIR_ENV];
  if (versions['electron'] === undefined || nativeDir === undefined || nativeDir === '') return {};
  const file = nativeBindingFile(nativeDir, versions.modules);
  if (!existsSync(file)) {
    throw new Error(
      `There is no better-sqlite3 build for this Electron (ABI ${versions.modules}) at ${file}. Run \`npm run build:native\` (it needs the Electron headers once, online), then start again.`,
    );
  }
  return { nativeBinding: file };
}
