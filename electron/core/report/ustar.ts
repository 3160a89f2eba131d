import { AppError } from '../../../shared/errors';

// The ustar header as Fieldrun writes it: one canonical form (fixed modes, owner 0, no user or
// group names, one mtime for every entry), so the same bundle always gives the same archive and
// the reader can refuse any header that is not exactly what the writer would have made.

export const BLOCK = 512;
export const MAX_TAR_SIZE = 0o77777777777;

export interface TarHeaderFields {
  /** Full path inside the archive; a directory ends in '/'. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly size: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

export function renderTarHeader(fields: TarHeaderFields): Buffer {
  const header = Buffer.alloc(BLOCK);
  const [prefix, name] = splitPath(fields.path);
  header.write(name, 0, 100, 'ascii');
  writeOctal(header, 100, 8, fields.type === 'directory' ? 0o755 : 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, fields.type === 'directory' ? 0 : fields.size);
  writeOctal(header, 136, 12, fields.mtime);
  header.write(fields.type === 'directory' ? '5' : '0', 156, 1, 'ascii');
  header.write('ustar\u000000', 257, 8, 'ascii');
  header.write(prefix, 345, 155, 'ascii');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return header;
}

/** Reads a header block; undefined for an all-zero block (the end of the archive). */
export function parseTarHeader(header: Buffer, where: string): TarHeaderFields | undefined {
  if (header.every((byte) => byte === 0)) return undefined;
  const typeFlag = String.fromCharCode(header[156] ?? 0);
  if (typeFlag !== '0' && typeFlag !== '5') throw invalidArchive(where, `it holds an entry of tar type '${typeFlag}': only plain files and folders belong in a report`);
  const name = cString(header, 0, 100);
  const prefix = cString(header, 345, 155);
  const fields: TarHeaderFields = {
    path: prefix === '' ? name : `${prefix}/${name}`,
    type: typeFlag === '5' ? 'directory' : 'file',
    size: readOctal(header, 124, 12, where),
    mtime: readOctal(header, 136, 12, where),
  };
  // Any header that differs from the one Fieldrun would write for the same entry (a changed
  // byte, another tool's archive) is refused: the archive is either canonical or not ours.
  if (!renderTarHeader(fields).equals(header)) throw invalidArchive(where, 'a tar header is damaged or was not written by Fieldrun');
  return fields;
}

export function paddingOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

export function invalidArchive(where: string, problem: string): AppError {
  return new AppError('REPORT_BUNDLE_INVALID', `The report archive ${where} cannot be read: ${problem}. Ask for the bundle again, or verify the unpacked folder.`, { where, problem });
}

function splitPath(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
    const prefix = path.slice(0, at);
    const name = path.slice(at + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return [prefix, name];
  }
  throw new AppError('REPORT_EXPORT_FAILED', `The path ${path} is too long for a tar archive. Use shorter attachment names.`, { path });
}

function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}

function readOctal(header: Buffer, offset: number, width: number, where: string): number {
  const text = cString(header, offset, width);
  if (!/^[0-7]{1,11}$/.test(text)) throw invalidArchive(where, 'a tar header holds a number that is not octal');
  return parseInt(text, 8);
}

function cString(header: Buffer, offset: number, width: number): string {
  const field = header.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? width : end).toString('latin1');
}
