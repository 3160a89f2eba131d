import { describe, expect, it } from 'vitest';
import { Fingerprint, isHostAddress, isSafeRelativePath, Slug } from '../../../../shared/plan/schema/primitives';

describe('plan value types', () => {
  it.each([
    ['198.18.0.10', true],
    ['2001:db8::1', true],
    ['::1', true],
    ['db1.example.net', true],
    ['db1.example.net.', true],
    ['localhost', true],
    ['198.18.1.300', false], // a mistyped IPv4 address is not a host name
    ['1.2.3', false],
    ['-bad.example', false],
    ['a_b.example', false],
    ['[::1]', false],
    ['fe80::1%eth0', false],
  ])('host address %s: %s', (address, valid) => expect(isHostAddress(address)).toBe(valid));

  it.each([
    ['artifacts/shop.tar.gz', true],
    ['artifacts/.hidden', true],
    ['../secrets', false],
    ['a/../b', false],
    ['/etc/passwd', false],
    ['C:/Windows', false],
    ['artifacts\\shop.tgz', false],
    ['a//b', false],
    ['./a', false],
    ['a/\u0000b', false],
  ])('artifact path %j inside the plan folder: %s', (path, valid) => expect(isSafeRelativePath(path)).toBe(valid));

  it('accepts fingerprints exactly as ssh-keygen -l prints them', () => {
    expect(Fingerprint.safeParse('SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0').success).toBe(true);
    // Padding, a wrong length, MD5 style, or a last character a 256-bit digest cannot end with.
    for (const text of ['SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt0=', 'SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt', 'MD5:16:27:ac:a5', 'SHA256:CqNfYIUActNcQWuOgCdZhsxU+9tcmOGyOC0N3QG+Lt1']) {
      expect(Fingerprint.safeParse(text).success, text).toBe(false);
    }
  });

  it('keeps names to lowercase slugs', () => {
    for (const ok of ['web1', 'db-1', 'eu_west.2', 'a']) expect(Slug.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['Web1', '-web', 'web-', 'web 1', '', 'x'.repeat(65)]) expect(Slug.safeParse(bad).success, bad).toBe(false);
  });
});
