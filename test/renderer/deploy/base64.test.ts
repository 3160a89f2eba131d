import { describe, expect, it } from 'vitest';
import { Base64Scratch, decodeBase64 } from '../../../renderer/screens/deploy/log/base64';

describe('base64 decoding of live output', () => {
  it('decodes events into one reused buffer, growing it for a large one', () => {
    const scratch = new Base64Scratch();
    const small = Buffer.from('line 1\nline 2\n');
    const first = scratch.decode(small.toString('base64'));
    expect(Buffer.from(first).equals(small)).toBe(true);
    const large = Buffer.alloc(200_000, 0xab);
    expect(Buffer.from(scratch.decode(large.toString('base64'))).equals(large)).toBe(true);
    const bytes = Buffer.from([0, 255, 0x1b, 0x5d, 10]);
    expect([...scratch.decode(bytes.toString('base64'))]).toEqual([...bytes]);
    expect([...decodeBase64(bytes.toString('base64'))]).toEqual([...bytes]);
    expect(scratch.decode('')).toHaveLength(0);
  });
});
