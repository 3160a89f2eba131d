// The one module for atomic writes: a file is replaced whole with the mode asked for, a streamed
// file is hashed as written and never left half under its name, and temp files a killed writer
// left behind are swept.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathExists, removeStaleTempFiles, writeFileAtomic, writeStreamAtomic } from '../../../electron/core/fs/atomicFile';

const work = mkdtempSync(join(tmpdir(), 'fieldrun-atomic-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a file whole, owner-only by default, making its folder; no temp file stays', async () => {
    const path = join(work, 'nested', 'settings.json');
    await writeFileAtomic(path, '{"v":1}\n');
    await writeFileAtomic(path, '{"v":2}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"v":2}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(work, 'nested')).mode & 0o077).toBe(0);
    expect(readdirSync(join(work, 'nested'))).toEqual(['settings.json']);
    await writeFileAtomic(path, 'public\n', 0o644);
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('sweeps the temp files of a killed writer and nothing else', async () => {
    const path = join(work, 'secrets.bin');
    writeFileSync(path, 'kept');
    writeFileSync(join(work, '.secrets.bin.a1b2c3.tmp'), 'half');
    writeFileSync(join(work, '.other.bin.a1b2c3.tmp'), 'not ours');
    await removeStaleTempFiles(path);
    expect(existsSync(join(work, '.secrets.bin.a1b2c3.tmp'))).toBe(false);
    expect(existsSync(join(work, '.other.bin.a1b2c3.tmp'))).toBe(true);
    expect(await pathExists(path)).toBe(true);
    expect(await pathExists(join(work, 'nothing-here'))).toBe(false);
  });
});

describe('writeStreamAtomic', () => {
  it('hashes what it writes, and leaves nothing under the name when the source fails midway', async () => {
    const path = join(work, 'bundle.bin');
    const parts = [Buffer.from('first '), Buffer.from('second')];
    const written = await writeStreamAtomic(path, parts, { mode: 0o644 });
    expect(written).toEqual({ size: 12, sha256: createHash('sha256').update('first second').digest('hex') });
    expect(statSync(path).mode & 0o777).toBe(0o644);

    const broken = join(work, 'broken.bin');
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Buffer.from('some bytes');
      throw new Error('source went away');
    }
    await expect(writeStreamAtomic(broken, failing())).rejects.toThrow('source went away');
    expect(readdirSync(work).filter((n) => n.startsWith('broken'))).toEqual([]);
  });
});
