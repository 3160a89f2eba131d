// Sizes as people write them for disks and memory: 20GiB, 512MiB, 1.5GB, 100B. Binary (KiB…)
// and decimal (kB…) units both exist in the wild; each means what it says.
export const BYTE_SIZE_PATTERN = /^(\d{1,15}(?:\.\d{1,6})?)(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/** Bytes per unit, as written in plans. */
export const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

export const BYTE_SIZE_EXPECTED = 'a size such as 512MiB, 20GiB or 1.5GB';

/** Bytes (rounded down), or undefined when `text` is not a size. */
export function tryParseByteSize(text: string): number | undefined {
  const match = BYTE_SIZE_PATTERN.exec(text);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * UNIT_BYTES[match[2]!]!);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** '20GiB' -> 21474836480. Throws a RangeError on text that is not a size. */
export function parseByteSize(text: string): number {
  const bytes = tryParseByteSize(text);
  if (bytes === undefined) throw new RangeError(`not a size: ${JSON.stringify(text)} (expected ${BYTE_SIZE_EXPECTED})`);
  return bytes;
}
