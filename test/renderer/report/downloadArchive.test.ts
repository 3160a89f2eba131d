import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { archiveFileName, readAllRanges, type ReadRange } from '../../../renderer/screens/report/downloadArchive';

/** A core that answers ranges of `file`, at most `cap` bytes at a time (as reports.archive.read does). */
function rangesOf(file: Buffer, cap: number): { read: ReadRange; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    read: async (offset, length) => {
      asked.push(offset);
      return { data: file.subarray(offset, offset + Math.min(length, cap)).toString('base64'), size: file.length };
    },
  };
}

describe('the browser-mode download', () => {
  it('puts a file back together byte for byte from ranges, whatever the core answers per call', async () => {
    const file = randomBytes(200_003);
    const { read, asked } = rangesOf(file, 16_384);
    const progress: number[] = [];
    const parts = await readAllRanges(read, (received) => progress.push(received), 50_000);
    expect(Buffer.concat(parts)).toEqual(file);
    expect(asked[0]).toBe(0);
    expect(progress.at(-1)).toBe(file.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('an empty archive is one call and nothing to save', async () => {
    const { read, asked } = rangesOf(Buffer.alloc(0), 10);
    expect(await readAllRanges(read)).toEqual([]);
    expect(asked).toEqual([0]);
  });

  it('a file that stops short of its size is an error, not a truncated download', async () => {
    const read: ReadRange = async (offset) => ({ data: offset === 0 ? Buffer.from('abc').toString('base64') : '', size: 10 });
    await expect(readAllRanges(read)).rejects.toThrow(/byte 3 of 10/);
  });

  it('names the file after the run and the export, with nothing a file system would refuse', () => {
    expect(archiveFileName('2026-12-05/run 1', 2)).toBe('fieldrun-report-2026-12-05_run_1-2.tar');
  });
});
