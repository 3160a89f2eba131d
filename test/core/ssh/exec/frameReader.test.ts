import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameEvent } from '../../../../electron/core/ssh/exec/frameReader';

function frames(parts: Array<[letter: 'o' | 'e', data: Buffer]>, final: string): Buffer {
  const offsets = { o: 0, e: 0 };
  const out: Buffer[] = [Buffer.from('s started\n')];
  for (const [letter, data] of parts) {
    out.push(Buffer.from(`${letter} ${offsets[letter]} ${data.length}\n`), data);
    offsets[letter] += data.length;
  }
  out.push(Buffer.from(`${final}\n`));
  return Buffer.concat(out);
}

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(at, p));
    at = p;
  }
  chunks.push(bytes.subarray(at));
  return chunks;
}

describe('the stream frame reader', () => {
  it('rebuilds both streams byte for byte, with offsets, however the channel cuts the bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<'o' | 'e'>('o', 'e'), fc.uint8Array({ maxLength: 64 })), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (parts, cuts) => {
          const wire = frames(parts.map(([l, d]) => [l, Buffer.from(d)]), 'x 0 1 2 -');
          const reader = new FrameReader({ stdout: 0, stderr: 0 });
          const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
          const events: FrameEvent[] = [];
          for (const chunk of split(wire, cuts)) {
            for (const event of reader.feed(chunk)) {
              events.push(event);
              if (event.type === 'data') {
                expect(event.offset).toBe(Buffer.concat(got[event.stream]).length);
                got[event.stream].push(Buffer.from(event.data));
              }
            }
          }
          const expected = (l: 'o' | 'e') => Buffer.concat(parts.filter(([x]) => x === l).map(([, d]) => Buffer.from(d)));
          expect(Buffer.concat(got.stdout)).toEqual(expected('o'));
          expect(Buffer.concat(got.stderr)).toEqual(expected('e'));
          expect(events.at(-1)).toEqual({ type: 'finished', record: '0 1 2 -' });
          expect(reader.done).toBe(true);
        },
      ),
    );
  });

  it('starts from the offsets it was given and refuses a frame at any other offset', () => {
    const reader = new FrameReader({ stdout: 100, stderr: 7 });
    expect(reader.feed(Buffer.from('o 100 2\nhie 7 1\n!'))).toEqual([
      { type: 'data', stream: 'stdout', offset: 100, data: Buffer.from('hi') },
      { type: 'data', stream: 'stderr', offset: 7, data: Buffer.from('!') },
    ]);
    expect(reader.offsets).toEqual({ stdout: 102, stderr: 8 });
    expect(() => reader.feed(Buffer.from('o 90 1\nx'))).toThrow(expect.objectContaining({ code: 'SSH_REMOTE_FAILED' }));
  });

  it('reports unknown and failed outcomes, and refuses anything after the final frame', () => {
    expect(new FrameReader({ stdout: 0, stderr: 0 }).feed(Buffer.from('u rebooted\n'))).toEqual([{ type: 'unknown', reason: 'rebooted' }]);
    const reader = new FrameReader({ stdout: 0, stderr: 0 });
    expect(reader.feed(Buffer.from('f no-setsid\n'))).toEqual([{ type: 'failed', reason: 'no-setsid' }]);
    expect(() => reader.feed(Buffer.from('o 0 1\n'))).toThrow(/protocol/);
  });

  it("skips what a chatty login shell printed before the wrapper's marker, however cut", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 10 }), (greeting, cuts) => {
        const wire = Buffer.concat([Buffer.from(`${greeting}\nmark-123\n`), frames([['o', Buffer.from('data')]], 'x 0 1 -')]);
        const reader = new FrameReader({ stdout: 0, stderr: 0 }, 'mark-123');
        const events = split(wire, cuts).flatMap((chunk) => reader.feed(chunk));
        expect(Buffer.concat(events.flatMap((e) => (e.type === 'data' ? [e.data] : []))).toString()).toBe('data');
        expect(events.at(-1)).toEqual({ type: 'finished', record: '0 1 -' });
      }),
    );
  });

  it('refuses lines it does not know, such as a shell error on stdout', () => {
    expect(() => new FrameReader({ stdout: 0, stderr: 0 }).feed(Buffer.from('sh: 1: dd: not found\n'))).toThrow(/unexpected line/);
  });
});
