import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { AppError } from '../../../../shared/errors';

/** Where reports go when the caller names no folder (browser mode never names one). */
export const REPORTS_FOLDER = 'reports';

/**
 * The folder a report export may be written into. The Electron shell passes a folder the
 * technician chose in a dialog; anything else the renderer sends is untrusted: it must be an
 * absolute path to an existing folder (or a new folder directly inside one, made by the export),
 * and not inside the data folder (its database, keys, attachments and uploads), except the data
 * folder's own reports folder.
 */
export async function exportParentOf(dataDir: string, outDir: string | undefined): Promise<string> {
  const ownReports = join(dataDir, REPORTS_FOLDER);
  if (outDir === undefined) return ownReports;
  if (!isAbsolute(outDir)) throw refused(outDir, 'it is not an absolute path');
  const folder = await existingFolder(outDir);
  // Only one new level: a path whose parent is missing is a typo, not a choice.
  const parent = folder === undefined ? await existingFolder(dirname(outDir)) : undefined;
  if (folder === undefined && parent === undefined) throw refused(outDir, 'there is no folder there (nor one level up) that Fieldrun can use');
  const real = folder ?? join(parent!, basename(outDir));
  const realData = await realpath(dataDir);
  const realReports = await realpath(ownReports).catch(() => ownReports);
  if (inside(real, realData) && !inside(real, realReports)) throw refused(outDir, "it is inside Fieldrun's data folder");
  return real;
}

/** The real path of an existing folder at `path`; undefined when there is none. A file there is refused. */
async function existingFolder(path: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return undefined;
  }
  if (!(await stat(real)).isDirectory()) throw refused(path, 'it is not a folder');
  return real;
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function refused(outDir: string, why: string): AppError {
  return new AppError('INPUT_INVALID', `Reports cannot be exported to ${outDir}: ${why}. Choose an existing folder outside Fieldrun's data folder (or leave it out to use the default).`, { outDir });
}
