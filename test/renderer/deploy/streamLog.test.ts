import { beforeAll, describe, expect, it } from 'vitest';
import { StreamLog } from '../../../renderer/screens/deploy/log/streamLog';

// The log's model against a stand-in for the core's output store (a byte array read by range,
// whose committed part may lag what live events announced, as the core commits in groups).

beforeAll(() => {
  // Node has no animation frames; the model only uses them to coalesce notifications.
  globalThis.requestAnimationFrame ??= (callback: FrameRequestCallback): number => setTimeout(() => callback(performance.now()), 0) as unknown as number;
  globalThis.cancelAnimationFrame ??= (handle: number): void => clearTimeout(handle);
});

const encoder = new TextEncoder();
const lines = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `line ${from + i + 1}\n`).join('');

class FakeStore {
  bytes = new Uint8Array(0);
  committed = 0;
  reads = 0;
  append(text: string, commit = true): { offset: number; data: Uint8Array } {
    const data = encoder.encode(text);
    const offset = this.bytes.length;
    const next = new Uint8Array(offset + data.length);
    next.set(this.bytes);
    next.set(data, offset);
    this.bytes = next;
    if (commit) this.committed = this.bytes.length;
    return { offset, data };
  }
  read = async (offset: number, length: number): Promise<Uint8Array> => {
    this.reads += 1;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.bytes.slice(offset, Math.min(this.committed, offset + length));
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function textOf(log: StreamLog, n: number): Promise<string> {
  await until(() => log.line(n) !== undefined, `line ${n + 1}`);
  return log.line(n)!.runs.map((r) => r.text).join('');
}

describe('the log of one output stream', () => {
  it('reads output stored before it opened, in the background, and finds any line', async () => {
    const store = new FakeStore();
    store.append(lines(0, 200_000));
    const log = new StreamLog(store.read);
    await until(() => !log.behind && log.lineCount === 200_000, 'the catch-up');
    expect(await textOf(log, 0)).toBe('line 1');
    expect(await textOf(log, 123_456)).toBe('line 123457');
    expect(await textOf(log, 199_999)).toBe('line 200000');
    log.dispose();
  });

  it('takes live output directly, and fills a gap by reading once the core has committed it', async () => {
    const store = new FakeStore();
    const log = new StreamLog(store.read);
    await until(() => store.reads > 0, 'the first read');
    const first = store.append(lines(0, 10));
    log.live(first.offset, first.data);
    expect(log.lineCount).toBe(10);
    // A burst the view missed (e.g. it was busy), then a live event past it; the store has not committed yet.
    store.append(lines(10, 5000), false);
    const after = store.append(lines(5000, 5001), false);
    log.live(after.offset, after.data);
    expect(log.lineCount).toBe(10);
    expect(log.behind).toBe(true);
    store.committed = store.bytes.length;
    await until(() => log.lineCount === 5001, 'the gap to be read');
    expect(await textOf(log, 4999)).toBe('line 5000');
    expect(await textOf(log, 5000)).toBe('line 5001');
    // Bytes it already has, sent again, change nothing.
    log.live(first.offset, first.data);
    expect(log.lineCount).toBe(5001);
    log.dispose();
  });

  it('reads the end of a stream that ended while nothing was listening', async () => {
    const store = new FakeStore();
    const log = new StreamLog(store.read);
    await until(() => store.reads > 0, 'the first read');
    store.append('no newline at the end', true);
    log.ended(store.bytes.length);
    await until(() => log.lineCount === 1 && !log.behind, 'the end');
    expect(await textOf(log, 0)).toBe('no newline at the end');
    log.dispose();
  });

  it('draws the growing last block as it arrives, split anywhere, colours included', async () => {
    const store = new FakeStore();
    const log = new StreamLog(store.read);
    await until(() => store.reads > 0, 'the first read');
    const text = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `\x1b[31mred ${i}` : `plain ${i}\x1b[0m`)).join('\n');
    const all = encoder.encode(text);
    for (let at = 0; at < all.length; at += 37) {
      const { offset, data } = store.append(new TextDecoder().decode(all.subarray(at, at + 37)));
      log.live(offset, data);
      // Drawing in between must not disturb what is drawn later.
      log.line(Math.max(0, log.lineCount - 1));
    }
    expect(log.lineCount).toBe(300);
    for (const n of [0, 1, 2, 150, 298, 299]) {
      const line = log.line(n)!;
      expect(line.runs.map((r) => r.text).join('')).toBe(n % 3 === 0 ? `red ${n}` : `plain ${n}`);
      // A line after a red one starts red until its reset.
      expect(line.runs[0]!.sgr.fg).toBe(n % 3 === 2 ? -1 : 1);
    }
    log.dispose();
  });
});
