import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ATTACHMENT_NAME, BUNDLE_PATH } from '../../../electron/core/report/bundleManifest';
import { MediaTypeSniffer, attachmentBundleName, mediaTypeOf, plainFileName } from '../../../electron/core/report/attachments';

// What an attachment is, judged from its bytes (its name and the page's word count for nothing),
// and the plain name it gets in the bundle.

const sha = 'ab'.repeat(32);

describe('media type from the bytes', () => {
  it.each([
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]), 'image/jpeg'],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'image/png'],
    ['WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 2, 3, 4]), Buffer.from('WEBPVP8 ')]), 'image/webp'],
    ['PDF', Buffer.from('%PDF-1.4\n%âãÏÓ\n'), 'application/pdf'],
    ['UTF-8 text', Buffer.from('Schlüssel übergeben an Claire\r\n\tRaum 2\n'), 'text/plain'],
    ['a truncated PNG signature', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'application/octet-stream'],
    ['RIFF that is not WebP (a WAV)', Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 2, 3, 4]), Buffer.from('WAVEfmt ')]), 'application/octet-stream'],
    ['text with a NUL byte', Buffer.from('abc\0def'), 'application/octet-stream'],
    ['text with an escape sequence', Buffer.from('ok \x1b]52;c;Y2xpcA==\x07'), 'application/octet-stream'],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28]), 'application/octet-stream'],
    ['an SVG (markup that could run script)', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'text/plain'],
    ['a gzip file', Buffer.from([0x1f, 0x8b, 0x08, 0x00]), 'application/octet-stream'],
  ])('%s', (_what, bytes, expected) => {
    expect(mediaTypeOf(bytes)).toBe(expected);
  });

  it('judges text the same whether the bytes come in one piece or split anywhere, even inside a character', () => {
    const text = Buffer.from('Übergabe — 東京 ✓\n'.repeat(50));
    for (const cut of [1, 2, 3, 7, 100]) {
      const sniffer = new MediaTypeSniffer();
      for (let at = 0; at < text.length; at += cut) sniffer.push(text.subarray(at, at + cut));
      expect(sniffer.result()).toBe('text/plain');
    }
    // Cut off in the middle of a character at the very end: not text.
    expect(mediaTypeOf(Buffer.from('Übergabe').subarray(0, 1))).toBe('application/octet-stream');
  });
});

describe('the bundle name of an attachment', () => {
  it('keeps a readable, plain form of the name and its extension after the hash prefix', () => {
    expect(attachmentBundleName(sha, 'rack front.JPG')).toBe('abababababab-rack_front.JPG');
    expect(attachmentBundleName(sha, 'Übergabe Protokoll (final).pdf')).toBe('abababababab-Ubergabe_Protokoll_final.pdf');
    expect(attachmentBundleName(sha, '.bashrc')).toBe('abababababab-attachment.bashrc');
    expect(attachmentBundleName(sha, '../../etc/passwd')).toBe('abababababab-etc_passwd');
    expect(attachmentBundleName(sha, '東京.png')).toBe('abababababab-attachment.png');
    expect(plainFileName(`${'x'.repeat(300)}.jpeg`)).toMatch(/^x+\.jpeg$/);
  });

  it('is a plain bundle path for any name a page can send', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 255, unit: 'binary' }), (name) => {
        const bundleName = attachmentBundleName(sha, name);
        expect(bundleName).toMatch(ATTACHMENT_NAME);
        expect(`attachments/${bundleName}`).toMatch(BUNDLE_PATH);
      }),
      { numRuns: 300 },
    );
  });
});
