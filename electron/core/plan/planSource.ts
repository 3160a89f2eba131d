import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { AppError } from '../../../shared/errors';
import { readTarArchive, safeRelativePath } from './tarArchive';
import type { ArchiveEntry } from './tarArchive';

/** Where an artifact's bytes are: a file on disk (hashed while copied) or bytes from an archive. */
export type ArtifactBytes = { kind: 'file'; path: string } | { kind: 'bytes'; data: Buffer } | { kind: 'missing'; why: string };

/** A plan as handed to import: its text, where it came from, and a way to reach its artifacts. */
export interface PlanSource {
  readonly kind: 'file' | 'folder' | 'archive';
  /** The name the technician recognises (file or folder name), never a full path of their disk. */
  readonly name: string;
  readonly planFileName: string;
  readonly planBytes: Buffer;
  readonly signature: Buffer | undefined;
  artifact(relativePath: string): ArtifactBytes;
}

const PLAN_FILE_NAMES = ['plan.yaml', 'plan.yml'];
const ARCHIVE_PATTERN = /\.(tar|tar\.gz|tgz)$/i;

/**
 * Opens a plan file, folder or archive. `displayName` is the name the technician gave the file
 * when it is stored under another (an upload is kept under a fixed name); it decides the kind too.
 */
export function openPlanSource(path: string, maxPlanBytes: number, displayName = basename(path)): PlanSource {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new AppError('IMPORT_SOURCE_INVALID', `Nothing to import at ${displayName}: the file or folder does not exist or cannot be read.`);
  }
  if (stats.isDirectory()) return folderSource(path, maxPlanBytes);
  if (!stats.isFile()) throw new AppError('IMPORT_SOURCE_INVALID', `${displayName} is neither a plan file, a plan folder nor a plan archive.`);
  if (ARCHIVE_PATTERN.test(displayName)) return archiveSource(path, maxPlanBytes, displayName);
  return fileSource(path, dirname(path), 'file', displayName, maxPlanBytes, displayName);
}

function folderSource(folder: string, maxPlanBytes: number): PlanSource {
  const names = readdirSync(folder);
  const planName = PLAN_FILE_NAMES.find((n) => names.includes(n)) ?? singleYaml(names, basename(folder));
  return fileSource(join(folder, planName), folder, 'folder', basename(folder), maxPlanBytes);
}

function singleYaml(names: string[], folderName: string): string {
  const yamls = names.filter((n) => /\.ya?ml$/i.test(n));
  if (yamls.length === 1 && yamls[0] !== undefined) return yamls[0];
  throw new AppError(
    'IMPORT_SOURCE_INVALID',
    `The folder ${folderName} holds ${yamls.length === 0 ? 'no' : 'several'} YAML files and no plan.yaml: name the plan file plan.yaml.`,
  );
}

function fileSource(planPath: string, root: string, kind: 'file' | 'folder', name: string, maxPlanBytes: number, planFileName = basename(planPath)): PlanSource {
  const planBytes = readBounded(planPath, maxPlanBytes);
  const sigPath = `${planPath}.sig`;
  const signature = exists(sigPath) ? readBounded(sigPath, 64 * 1024) : undefined;
  const realRoot = realpathSync(root);
  return {
    kind,
    name,
    planFileName,
    planBytes,
    signature,
    artifact: (relativePath) => artifactOnDisk(realRoot, relativePath),
  };
}

/** Resolves an artifact inside the plan folder, refusing '..', absolute paths and links anywhere on the way. */
function artifactOnDisk(root: string, relativePath: string): ArtifactBytes {
  let clean: string;
  try {
    clean = safeRelativePath(relativePath, 'plan folder');
  } catch (error) {
    return { kind: 'missing', why: error instanceof AppError ? error.message : 'unsafe path' };
  }
  let current = root;
  for (const part of clean.split('/')) {
    current = join(current, part);
    let stats;
    try {
      stats = lstatSync(current);
    } catch {
      return { kind: 'missing', why: `${clean} is not in the plan folder` };
    }
    if (stats.isSymbolicLink()) return { kind: 'missing', why: `${clean} passes through a link; artifacts must be plain files inside the plan folder` };
  }
  const rel = relative(root, current);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) return { kind: 'missing', why: `${clean} is outside the plan folder` };
  if (!lstatSync(current).isFile()) return { kind: 'missing', why: `${clean} is not a regular file` };
  return { kind: 'file', path: current };
}

function archiveSource(path: string, maxPlanBytes: number, name: string): PlanSource {
  const entries = readTarArchive(readFileSync(path), name);
  // Archives made with `tar czf plan.tgz my-plan/` put everything under one folder: accept both.
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const prefix = planPrefix(entries, name);
  const planEntry = byPath.get(`${prefix}plan.yaml`) ?? byPath.get(`${prefix}plan.yml`);
  if (planEntry === undefined) throw new AppError('IMPORT_SOURCE_INVALID', `The archive ${name} holds no plan.yaml.`);
  if (planEntry.data.length > maxPlanBytes) {
    throw new AppError('PLAN_TOO_LARGE', `The plan in ${name} is ${planEntry.data.length} bytes; plans may be at most ${maxPlanBytes} bytes.`);
  }
  const lookup = (rel: string): ArchiveEntry | undefined => byPath.get(`${prefix}${rel}`);
  return {
    kind: 'archive',
    name,
    planFileName: basename(planEntry.path),
    planBytes: planEntry.data,
    signature: lookup(`${basename(planEntry.path)}.sig`)?.data,
    artifact: (relativePath) => {
      let clean: string;
      try {
        clean = safeRelativePath(relativePath, name);
      } catch (error) {
        return { kind: 'missing', why: error instanceof AppError ? error.message : 'unsafe path' };
      }
      const entry = lookup(clean);
      return entry === undefined ? { kind: 'missing', why: `${clean} is not in the archive` } : { kind: 'bytes', data: entry.data };
    },
  };
}

function planPrefix(entries: ArchiveEntry[], name: string): string {
  if (entries.some((e) => PLAN_FILE_NAMES.includes(e.path))) return '';
  const tops = new Set(entries.map((e) => e.path.split('/')[0]));
  if (tops.size === 1) return `${[...tops][0]}/`;
  throw new AppError('IMPORT_SOURCE_INVALID', `The archive ${name} holds no plan.yaml at its top or in a single top folder.`);
}

function readBounded(path: string, max: number): Buffer {
  const size = statSync(path).size;
  if (size > max) {
    throw new AppError('PLAN_TOO_LARGE', `${basename(path)} is ${size} bytes; at most ${max} bytes are accepted. Is this really a plan?`);
  }
  return readFileSync(path);
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
