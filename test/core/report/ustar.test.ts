import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { outputReferencesIn } from '../../../electron/core/report';
import { hashFile } from '../../../electron/core/report/bundleFiles';
import { parseTarHeader, renderTarHeader } from '../../../electron/core/report/ustar';
import { isAppError } from '../../../shared/errors';
import { scratch } from './bundleFixture';

const work = scratch('ustar');
afterAll(() => work.cleanup());

const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,40}$/);

describe('the ustar header', () => {
  it('reads back exactly what it wrote, for any plain path up to 255 bytes and any size', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.nat({ max: 0o77777777777 }), fc.nat({ max: 0o77777777777 }), (segments, size, mtime) => {
        const path = segments.join('/');
        fc.pre(Buffer.byteLength(path) <= 200);
        const fields = { path, type: 'file' as const, size, mtime };
        expect(parseTarHeader(renderTarHeader(fields), 'test.tar')).toEqual(fields);
      }),
    );
  });

  it('refuses any header with one byte changed', () => {
    const header = renderTarHeader({ path: 'bundle/outputs/0001-step_install_web1_stdout.bin', type: 'file', size: 123456, mtime: 1_772_000_000 });
    for (let at = 0; at < header.length; at++) {
      for (const mask of [0x01, 0x20, 0x80]) {
        const damaged = Buffer.from(header);
        damaged[at] = damaged[at]! ^ mask;
        let code: string | undefined;
        try {
          parseTarHeader(damaged, 'test.tar');
        } catch (error) {
          if (isAppError(error)) code = error.code;
        }
        expect(code, `byte ${at} ^ ${mask}`).toBe('REPORT_BUNDLE_INVALID');
      }
    }
  });
});

describe('hashing a file with prefix digests', () => {
  it('gives, at each mark, the SHA-256 of the bytes up to it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat({ max: 3000 }), { maxLength: 6 }), async (bytes, marks) => {
        const path = join(work.dir, 'data.bin');
        writeFileSync(path, bytes);
        const result = await hashFile(path, marks);
        const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
        expect(result).toMatchObject({ size: bytes.length, sha256: sha(bytes) });
        for (const mark of marks) expect(result.prefixes.get(mark)).toBe(mark <= bytes.length ? sha(bytes.subarray(0, mark)) : undefined);
      }),
      { numRuns: 60 },
    );
  });
});

describe('output references in event payloads', () => {
  it('finds every { stream, length, sha256 } however deep, and nothing else', () => {
    const sha = 'a'.repeat(64);
    const payload = { step: 'install', outputs: [{ stream: 'out', length: 10, sha256: sha }, { stream: 'err', length: -1, sha256: sha }], nested: { more: { stream: 'x', length: 0, sha256: sha } }, note: { stream: 'y', length: 1, sha256: 'nothex' } };
    expect(outputReferencesIn(7, payload)).toEqual([
      { seq: 7, stream: 'out', length: 10, sha256: sha },
      { seq: 7, stream: 'x', length: 0, sha256: sha },
    ]);
  });
});
