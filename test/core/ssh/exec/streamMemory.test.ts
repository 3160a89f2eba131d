import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../../electron/core/ssh/connection';
import { startCommand, type MaskedChunk } from '../../../../electron/core/ssh/exec';
import { startTestLab, type TestLab } from '../../../hosts';
import { connectLab, newExecId, OutputCollector } from './labShell';

let lab: TestLab;
let shell: SshConnection;

beforeAll(async () => {
  lab = await startTestLab({ hosts: ['web1'] });
  shell = await connectLab(lab, 'web1');
});

afterAll(async () => {
  shell?.close();
  await lab?.stop();
});

const TOTAL = 200 * 1024 * 1024;
const LINE = 'fieldrun streaming line 0123456789 abcdefghijklmnopqrstuvwxyz\n';

/** SHA-256 of LINE repeated and cut at TOTAL bytes, as `yes | head -c` prints it. */
function expectedHash(): string {
  const hash = createHash('sha256');
  const block = Buffer.from(LINE.repeat(16384));
  let left = TOTAL;
  while (left > 0) {
    const take = Math.min(left, block.length);
    hash.update(block.subarray(0, take));
    left -= take;
  }
  return hash.digest('hex');
}

describe('streaming a large output', () => {
  it('200 MiB to a slow consumer: memory stays bounded, back-pressure holds the host back, every byte arrives', async () => {
    await startCommand(shell, { execId: newExecId('warm'), command: 'echo warm' }, new OutputCollector().sink);
    globalThis.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);

    const execId = newExecId('big');
    const outFile = lab.host('web1').pathOnHost(`/home/fieldrun/.fieldrun/runs/${execId}/out`);
    const hash = createHash('sha256');
    let received = 0;
    let pieces = 0;
    let largestLead = 0;
    const sink = async (chunk: MaskedChunk): Promise<void> => {
      hash.update(chunk.data);
      received += chunk.data.length;
      pieces += 1;
      largestLead = Math.max(largestLead, statSync(outFile).size - received);
      // a slow consumer: about 50 MB/s, several times slower than the link
      await new Promise((r) => setTimeout(r, Math.ceil(chunk.data.length / 50_000)));
    };
    const t0 = Date.now();
    const result = await startCommand(
      shell,
      { execId, command: `yes '${LINE.trimEnd()}' | head -c ${TOTAL}`, secrets: ['a-secret-that-never-occurs'] },
      sink,
    );
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - base) / 1e6;
    console.log(`200 MiB streamed in ${seconds.toFixed(1)} s (${(TOTAL / 1e6 / seconds).toFixed(0)} MB/s) in ${pieces} pieces; peak RSS +${growthMb.toFixed(1)} MB; host ahead by up to ${(largestLead / 1e6).toFixed(0)} MB`);

    expect(result).toMatchObject({ kind: 'exited', code: 0, offsets: { stdout: TOTAL, stderr: 0 } });
    expect(received).toBe(TOTAL);
    expect(hash.digest('hex')).toBe(expectedHash());
    expect(growthMb).toBeLessThan(150);
    // the host wrote far more than the client held: the rest waited on the host, not in memory
    expect(largestLead).toBeGreaterThan(100 * 1024 * 1024);
  }, 120_000);
});
