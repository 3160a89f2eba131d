import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnsiParser } from '../../../renderer/screens/deploy/log/ansiParser';
import { renderLines } from '../../../renderer/screens/deploy/log/renderLines';
import { applySgr, BOLD, cssColour, PLAIN, TRUECOLOR, UNDERLINE } from '../../../renderer/screens/deploy/log/sgr';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** What the technician sees: the text of each line, after feeding the output in the given pieces. */
function shown(pieces: readonly Uint8Array[]): { lines: string[]; sgr: string[] } {
  const parser = new AnsiParser();
  const lines: string[] = [];
  const sgr: string[] = [];
  let current: number[] = [];
  for (const piece of pieces) {
    parser.feed(piece, {
      text: (chunk, start, end) => current.push(...chunk.subarray(start, end)),
      sgr: (params) => sgr.push(params),
      newline: () => {
        lines.push(new TextDecoder().decode(new Uint8Array(current)));
        current = [];
      },
    });
  }
  lines.push(new TextDecoder().decode(new Uint8Array(current)));
  return { lines, sgr };
}

/** Every way of cutting the output in two and in single bytes. */
function splits(all: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [[all], [...all].map((b) => Uint8Array.of(b))];
  for (let cut = 1; cut < all.length; cut++) ways.push([all.subarray(0, cut), all.subarray(cut)]);
  return ways;
}

const OSC52_BEL = '\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07';
const OSC52_ST = '\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x1b\\';
const OSC8 = '\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\';
const OSC8_BEL = '\x1b]8;id=1;http://evil.example/\x07click me\x1b]8;;\x07';

describe('the terminal output parser', () => {
  it.each([
    ['OSC 52 ended by BEL', `before${OSC52_BEL}after`, 'beforeafter'],
    ['OSC 52 ended by ST', `before${OSC52_ST}after`, 'beforeafter'],
    ['OSC 8 link ended by ST', `see ${OSC8} now`, 'see click me now'],
    ['OSC 8 link ended by BEL', `see ${OSC8_BEL} now`, 'see click me now'],
    ['a window title', '\x1b]0;owned\x07ok', 'ok'],
    ['DCS, APC, PM and SOS strings', '\x1bPq#0;2\x1b\\a\x1b_apc\x1b\\b\x1b^pm\x07c\x1bXsos\x1b\\d', 'abcd'],
    ['cursor movement and erase', 'a\x1b[2J\x1b[10;5Hb\x1b[?25lc\x1b[Kd', 'abcd'],
    ['two-byte escapes and charset selection', 'a\x1bcb\x1b(Bc\x1b7d', 'abcd'],
    ['carriage returns, bells and backspaces', 'a\rb\x07c\x08d\x7f', 'abcd'],
  ])('%s: payload never shown, whatever the chunking', (_name, output, expected) => {
    for (const pieces of splits(bytes(output))) expect(shown(pieces).lines).toEqual([expected]);
  });

  it('keeps SGR sequences, split anywhere', () => {
    for (const pieces of splits(bytes('\x1b[1;31mred\x1b[0m'))) {
      const result = shown(pieces);
      expect(result.lines).toEqual(['red']);
      expect(result.sgr).toEqual(['1;31', '0']);
    }
  });

  it('a line feed ends a line even inside an unfinished sequence', () => {
    expect(shown([bytes('a\x1b]52;c;abc\nvisible\x1b[31\nnext')]).lines).toEqual(['a', 'visible', 'next']);
  });

  it('an escape inside a string starts a new sequence', () => {
    expect(shown([bytes('\x1b]8;;x\x1b[31mred')])).toEqual({ lines: ['red'], sgr: ['31'] });
  });

  it('private CSI sequences and overlong parameters are not colours', () => {
    const long = `\x1b[${'1;'.repeat(100)}m`;
    expect(shown([bytes(`\x1b[?1049ma\x1b[>4;2mb${long}c`)])).toEqual({ lines: ['abc'], sgr: [] });
  });

  it('shows the same text however random output is chunked (property)', () => {
    const alphabet = fc.constantFrom('a', 'é', '\n', '\x1b', '[', ']', '\\', '\x07', '8', ';', 'm', '5', '2', 'c', '\r', '\x9b');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), (chars, cutsRaw) => {
        const all = bytes(chars.join(''));
        const cuts = [...new Set(cutsRaw.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const pieces: Uint8Array[] = [];
        let at = 0;
        for (const cut of cuts) {
          pieces.push(all.subarray(at, cut));
          at = cut;
        }
        pieces.push(all.subarray(at));
        expect(shown(pieces)).toEqual(shown([all]));
      }),
    );
  });
});

describe('rendering lines', () => {
  it('shows HTML as text and invalid UTF-8 as U+FFFD, without C1 controls', () => {
    const input = new Uint8Array([...bytes('<script>alert(1)</script> '), 0xff, 0xc3, 0x28, ...bytes(' \u009b31m \u009d52;c;x\n')]);
    const { lines } = renderLines(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.runs.map((r) => r.text).join('')).toBe('<script>alert(1)</script> \ufffd\ufffd( 31m 52;c;x');
  });

  it('carries colours across lines and reports them at the end', () => {
    const { lines, end } = renderLines(bytes('\x1b[1;32mgreen\nstill\x1b[0m plain\n'));
    expect(lines[0]!.runs).toEqual([{ text: 'green', sgr: { fg: 2, bg: -1, flags: BOLD } }]);
    expect(lines[1]!.runs).toEqual([
      { text: 'still', sgr: { fg: 2, bg: -1, flags: BOLD } },
      { text: ' plain', sgr: PLAIN },
    ]);
    expect(end).toBe(PLAIN);
  });

  it('counts the bytes of a line too long to draw', () => {
    const { lines } = renderLines(bytes(`${'x'.repeat(20_000)}\nshort`), PLAIN, 7);
    expect(lines[0]!.hiddenBytes).toBe(20_000 - 16 * 1024);
    expect(lines[1]).toEqual({ runs: [{ text: 'short', sgr: PLAIN }], hiddenBytes: 2 });
  });
});

describe('SGR colours', () => {
  it('understands the 16, 256 and 24-bit palettes and the attributes', () => {
    expect(applySgr(PLAIN, '91;44')).toEqual({ fg: 9, bg: 4, flags: 0 });
    expect(applySgr(PLAIN, '38;5;196;48;5;17')).toEqual({ fg: 196, bg: 17, flags: 0 });
    expect(applySgr(PLAIN, '38;2;255;128;0;4')).toEqual({ fg: TRUECOLOR + 0xff8000, bg: -1, flags: UNDERLINE });
    expect(applySgr(PLAIN, '38:2::1:2:3')).toEqual({ fg: TRUECOLOR + 0x010203, bg: -1, flags: 0 });
    expect(applySgr(applySgr(PLAIN, '1;4;31'), '')).toBe(PLAIN);
    expect(applySgr(applySgr(PLAIN, '1;4'), '22;24')).toEqual(PLAIN);
    // Nonsense leaves the state alone.
    expect(applySgr(PLAIN, '38;2;999;0;0;x')).toBe(PLAIN);
    expect(cssColour(196)).toBe('rgb(255, 0, 0)');
    expect(cssColour(232)).toBe('rgb(8, 8, 8)');
    expect(cssColour(TRUECOLOR + 0x0a0b0c)).toBe('rgb(10, 11, 12)');
    expect(cssColour(3)).toBeUndefined();
  });
});
