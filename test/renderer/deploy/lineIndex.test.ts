import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../renderer/screens/deploy/log/lineIndex';
import { renderLines } from '../../../renderer/screens/deploy/log/renderLines';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The text of line `n` (0-based) as the log view finds it: its block, read from `all`, rendered. */
function lineText(index: LineIndex, all: Uint8Array, n: number): string | undefined {
  const block = index.blockOfLine(n);
  if (block === undefined) return undefined;
  const { lines } = renderLines(all.subarray(block.startByte, block.endByte), block.sgr);
  return lines[n - block.firstLine]?.runs.map((r) => r.text).join('');
}

function indexIn(all: Uint8Array, chunk: number, blockBytes: number): LineIndex {
  const index = new LineIndex(blockBytes);
  for (let at = 0; at < all.length; at += chunk) expect(index.append(at, all.subarray(at, at + chunk))).toBe(true);
  return index;
}

describe('the line index', () => {
  it('finds any line of a large output, indexed in chunks that split lines', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `line ${i + 1} \x1b[3${i % 8}mcolour\x1b[0m`).join('\n');
    const all = bytes(`${text}\n`);
    const index = indexIn(all, 7_777, 4096);
    expect(index.lineCount).toBe(50_000);
    expect(index.blockCount).toBeGreaterThan(100);
    expect(index.blockCount).toBeLessThan(all.length / 4096 + 2);
    for (const n of [0, 1, 4095, 12_345, 49_998, 49_999]) expect(lineText(index, all, n)).toBe(`line ${n + 1} colour`);
    expect(index.blockOfLine(50_000)).toBeUndefined();
  });

  it('carries colours in force at a block start into the block', () => {
    const all = bytes(`\x1b[31m${'red line\n'.repeat(100)}\x1b[0mplain\n`);
    const index = indexIn(all, 13, 64);
    const block = index.blockOfLine(50)!;
    expect(block.sgr.fg).toBe(1);
    const { lines } = renderLines(all.subarray(block.startByte, block.endByte), block.sgr);
    expect(lines[50 - block.firstLine]!.runs[0]!.sgr.fg).toBe(1);
  });

  it('counts a last line without its line feed, and grows as output arrives', () => {
    const index = new LineIndex(16);
    expect(index.lineCount).toBe(0);
    index.append(0, bytes('abc'));
    expect(index.lineCount).toBe(1);
    index.append(3, bytes('def\n'));
    expect(index.lineCount).toBe(1);
    index.append(7, bytes('\n'));
    expect(index.lineCount).toBe(2);
    expect(index.indexedEnd).toBe(8);
  });

  it('skips bytes it already has and refuses bytes past a gap', () => {
    const index = new LineIndex(16);
    index.append(0, bytes('one\ntwo\n'));
    expect(index.append(4, bytes('two\nthree\n'))).toBe(true);
    expect(index.lineCount).toBe(3);
    expect(index.append(100, bytes('later\n'))).toBe(false);
    expect(index.indexedEnd).toBe(14);
    expect(index.append(0, bytes('one\n'))).toBe(true);
    expect(index.lineCount).toBe(3);
  });

  it('gives the same lines whatever the chunking and block size (property)', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\x1b', '[', '1', 'm', ']', '\x07', 'é'), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 200 }), (lines, chunk, blockBytes) => {
        const all = bytes(lines.join('\n'));
        const index = indexIn(all, chunk, blockBytes);
        const whole = renderLines(all).lines.map((l) => l.runs.map((r) => r.text).join(''));
        expect(index.lineCount).toBe(whole.length);
        for (let n = 0; n < whole.length; n++) expect(lineText(index, all, n)).toBe(whole[n]);
      }),
    );
  });
});
