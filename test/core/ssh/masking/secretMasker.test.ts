import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputMasker, SecretMasker, base64Forms, secretForms } from '../../../../electron/core/ssh/masking';

function maskAll(secrets: string[], chunks: Buffer[]): Buffer {
  const masker = new SecretMasker(secrets);
  return Buffer.concat([...chunks.map((c) => masker.push(c)), masker.end()]);
}

function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

/** Text built from a tiny alphabet so that secrets, their overlaps and near-misses occur often. */
const text = fc.array(fc.constantFrom('a', 'b', 'c', 'x', 'é', 's3cr3t'), { maxLength: 60 }).map((parts) => parts.join(''));
const secret = fc.array(fc.constantFrom('a', 'b', 'c', 'é'), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));

describe('secret masking', () => {
  it('never lets a secret through, wherever the chunk boundaries fall', () => {
    fc.assert(
      fc.property(text, fc.array(secret, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 12 }), (input, secrets, cuts) => {
        const masked = maskAll(secrets, cutAt(Buffer.from(input), cuts));
        for (const s of secrets) expect(masked.includes(Buffer.from(s))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same output for any chunking as for the whole text at once', () => {
    fc.assert(
      fc.property(text, fc.array(secret, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 12 }), (input, secrets, cuts) => {
        const whole = maskAll(secrets, [Buffer.from(input)]);
        expect(maskAll(secrets, cutAt(Buffer.from(input), cuts))).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves text without secrets untouched, byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const input = Buffer.from(bytes);
        const secretNotThere = 'Z'.repeat(300);
        expect(maskAll([secretNotThere], cutAt(input, cuts))).toEqual(input);
      }),
    );
  });

  it('masks the union of overlapping and nested secrets as one ***', () => {
    expect(maskAll(['abcd', 'cdef'], [Buffer.from('xxabcdefyy')]).toString()).toBe('xx***yy');
    expect(maskAll(['pass', 'password'], [Buffer.from('my password!')]).toString()).toBe('my ***!');
    expect(maskAll(['aa'], [Buffer.from('baaaab')]).toString()).toBe('b***b');
    expect(maskAll(['a'], [Buffer.from('baab')]).toString()).toBe('b******b');
  });

  it('masks a secret split over many one-byte chunks, and holds back no more than it must', () => {
    const masker = new SecretMasker(['hunter2']);
    const out = [...Buffer.from('pw=hunter2;ok')].map((b) => masker.push(Buffer.from([b])));
    expect(masker.heldBytes).toBeLessThanOrEqual(6);
    expect(Buffer.concat([...out, masker.end()]).toString()).toBe('pw=***;ok');
  });

  it('works on bytes: a secret with multi-byte characters cut inside a character is still found', () => {
    const value = 'pässwörd';
    const bytes = Buffer.from(`[${value}]`);
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 9), bytes.subarray(9)];
    expect(maskAll([value], chunks).toString()).toBe('[***]');
  });

  it('also masks the base64, URL and JSON forms of a secret', () => {
    const value = 'S3cret/pa ss"word';
    const forms = secretForms(value);
    const basic = Buffer.from(`admin:${value}`).toString('base64');
    const output = `Authorization: Basic ${basic}\nurl=${encodeURIComponent(value)}\njson=${JSON.stringify({ p: value })}\n`;
    const masked = maskAll(forms, [Buffer.from(output)]).toString();
    expect(masked).not.toContain(value);
    expect(masked).not.toContain(encodeURIComponent(value));
    expect(masked).not.toContain(JSON.stringify(value).slice(1, -1));
    for (const form of base64Forms(Buffer.from(value))) expect(masked).not.toContain(form);
    // what is left of the header is the encoded 'admin:' and at most a few boundary characters
    expect(masked).toMatch(/^Authorization: Basic YWRtaW46\S{0,3}\*\*\*\S{0,4}$/m);
  });

  it('keeps raw offsets so that a reattach continues exactly where released output ended', () => {
    const masker = new OutputMasker(['topsecret'], { stdout: 0, stderr: 0 });
    const first = masker.push('stdout', 0, Buffer.from('value=topsec'))!;
    // what might begin a secret (or its base64 form) is held back, not released
    expect(first.offset).toBe(0);
    expect(first.end).toBe(first.data.length);
    expect(first.end).toBeLessThan(6);
    expect(masker.resumeOffsets).toEqual({ stdout: first.end, stderr: 0 });
    // The link drops here; a new masker starts from the resume offset and reads the rest again.
    const again = new OutputMasker(['topsecret'], masker.resumeOffsets);
    const raw = Buffer.from('value=topsecret\n');
    const rest = [again.push('stdout', first.end, raw.subarray(first.end)), ...again.end()];
    expect(Buffer.concat([first.data, ...rest.map((c) => c!.data)]).toString()).toBe('value=***\n');
  });
});
