import { gunzipSync } from 'node:zlib';
import { AppError } from '../../../shared/errors';

export interface ArchiveEntry {
  /** Normalised relative path with '/' separators; never absolute, never with '..'. */
  readonly path: string;
  readonly data: Buffer;
}

export interface ArchiveLimits {
  /** Largest archive file accepted. */
  readonly maxArchiveBytes: number;
  /** Largest total of the expanded content. */
  readonly maxExpandedBytes: number;
  /** The expanded size may be at most this many times the archive's size (plus 1 MiB). */
  readonly maxExpansionRatio: number;
  readonly maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 512 * 1024 * 1024,
  maxExpandedBytes: 1024 * 1024 * 1024,
  maxExpansionRatio: 100,
  maxEntries: 10_000,
};

const BLOCK = 512;

/**
 * Reads a tar (optionally gzip-compressed) plan archive into memory, refusing what could escape
 * the plan folder or exhaust the laptop: links, devices, absolute paths, '..', and archives that
 * expand far beyond their size (checked while inflating, before the memory is spent).
 */
export function readTarArchive(archive: Buffer, name: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): ArchiveEntry[] {
  if (archive.length > limits.maxArchiveBytes) {
    throw unsafe(name, `the archive is ${archive.length} bytes; at most ${limits.maxArchiveBytes} are accepted`);
  }
  const expandedLimit = Math.min(limits.maxExpandedBytes, archive.length * limits.maxExpansionRatio + 1024 * 1024);
  let tar = archive;
  if (archive[0] === 0x1f && archive[1] === 0x8b) {
    try {
      tar = gunzipSync(archive, { maxOutputLength: expandedLimit + BLOCK * 4 });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw unsafe(name, `it expands to more than ${expandedLimit} bytes (a compression bomb?)`);
      }
      throw unsafe(name, 'its gzip data is damaged');
    }
  }
  const entries: ArchiveEntry[] = [];
  const seen = new Set<string>();
  let expanded = 0;
  let offset = 0;
  let paxPath: string | undefined;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    verifyChecksum(header, name, offset);
    const size = readOctal(header.subarray(124, 136), name, offset);
    const type = String.fromCharCode(header[156] ?? 0x30);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw unsafe(name, `entry at byte ${offset} runs past the end of the archive`);
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x') {
      paxPath = readPaxPath(data) ?? paxPath;
      continue;
    }
    if (type === 'g') continue; // global pax header: metadata only
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const rawPath = paxPath ?? longName ?? headerPath(header);
    paxPath = undefined;
    longName = undefined;
    if (type === '5') continue; // directories are implied by file paths
    if (type !== '0' && type !== '\0' && type !== '7') {
      const what = type === '1' ? 'a hard link' : type === '2' ? 'a symbolic link' : `an entry of type '${type}'`;
      throw unsafe(name, `${JSON.stringify(rawPath)} is ${what}; plan archives may hold regular files only`);
    }
    const path = safeRelativePath(rawPath, name);
    if (seen.has(path)) throw unsafe(name, `${JSON.stringify(path)} appears twice`);
    seen.add(path);
    expanded += size;
    if (expanded > expandedLimit) throw unsafe(name, `its content exceeds ${expandedLimit} bytes`);
    if (entries.length >= limits.maxEntries) throw unsafe(name, `it holds more than ${limits.maxEntries} files`);
    entries.push({ path, data: Buffer.from(data) });
  }
  return entries;
}

/** Accepts 'a/b.txt' and './a/b.txt'; refuses absolute paths, drive letters, '..' and backslashes. */
export function safeRelativePath(raw: string, archiveName: string): string {
  if (raw.includes('\0') || raw.includes('\\')) throw unsafe(archiveName, `${JSON.stringify(raw)} has a NUL or backslash in its name`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw unsafe(archiveName, `${JSON.stringify(raw)} is an absolute path`);
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw unsafe(archiveName, `${JSON.stringify(raw)} climbs out of the plan folder with '..'`);
  if (parts.length === 0) throw unsafe(archiveName, 'an entry has an empty name');
  return parts.join('/');
}

function headerPath(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const magic = header.subarray(257, 262).toString('latin1');
  const prefix = magic === 'ustar' ? cString(header.subarray(345, 500)) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

function readPaxPath(data: Buffer): string | undefined {
  let found: string | undefined;
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = Number.parseInt(data.subarray(i, space).toString('latin1'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, i + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') found = record.slice(eq + 1);
    i += length;
  }
  return found;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function readOctal(field: Buffer, name: string, offset: number): number {
  if ((field[0] ?? 0) & 0x80) throw unsafe(name, `entry at byte ${offset} uses a base-256 size (over 8 GiB)`);
  const text = cString(field).trim();
  if (!/^[0-7]*$/.test(text)) throw unsafe(name, `entry at byte ${offset} has a damaged header`);
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function verifyChecksum(header: Buffer, name: string, offset: number): void {
  const stored = Number.parseInt(cString(header.subarray(148, 156)).trim() || 'x', 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  if (stored !== sum) throw unsafe(name, `entry at byte ${offset} has a damaged header (not a tar archive?)`);
}

function unsafe(name: string, why: string): AppError {
  return new AppError('ARCHIVE_UNSAFE', `The archive ${name} was refused: ${why}. Ask head office for a plain plan archive.`, { archive: name });
}
