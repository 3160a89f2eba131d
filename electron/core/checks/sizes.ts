// Sizes in verdicts: the expectation as the plan wrote it ("20 GiB") and what was found in the
// same unit, so the two read side by side.
import { UNIT_BYTES } from '../../../shared/plan/byteSize';

const WRITTEN = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/;

/** '20GiB' -> '20 GiB'. */
export function writtenSize(text: string): string {
  const match = WRITTEN.exec(text);
  return match ? `${match[1]} ${match[2]}` : text;
}

/** The unit of a written size ('GiB' for '20GiB'); GiB when there is none. */
export function unitOf(text: string): string {
  const unit = WRITTEN.exec(text)?.[2];
  return unit !== undefined && UNIT_BYTES[unit] !== undefined ? unit : 'GiB';
}

/**
 * Bytes in `unit`, rounded DOWN to one decimal: a found value never reads as meeting a minimum
 * it misses (19.96 GiB shows as 19.9, not 20.0).
 */
export function formatSizeIn(bytes: number, unit: string): string {
  const per = UNIT_BYTES[unit] ?? UNIT_BYTES['GiB']!;
  const tenths = Math.floor((bytes / per) * 10 + 1e-9);
  const text = tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
  return `${text} ${UNIT_BYTES[unit] === undefined ? 'GiB' : unit}`;
}

/** Bytes in the largest binary unit that keeps the number at least 1. */
export function formatSize(bytes: number): string {
  const unit = bytes >= 1024 ** 4 ? 'TiB' : bytes >= 1024 ** 3 ? 'GiB' : bytes >= 1024 ** 2 ? 'MiB' : bytes >= 1024 ? 'KiB' : 'B';
  return formatSizeIn(bytes, unit);
}

/** Bytes in `unit` for reading beside an expectation in that unit; a large binary value moves up a unit (23.1 GiB, not 23654.4 MiB). */
export function formatSizeBeside(bytes: number, unit: string): string {
  const per = UNIT_BYTES[unit];
  if (per !== undefined && unit.endsWith('iB') && bytes / per >= 1024) return formatSize(bytes);
  return formatSizeIn(bytes, unit);
}
