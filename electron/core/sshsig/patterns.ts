// OpenSSH's pattern lists (ssh_config(5) PATTERNS; match.c match_pattern_list), used by
// allowed_signers for principals and namespaces: comma-separated globs with '*' and '?', and
// '!' to negate. Any negated match vetoes the list. Case-sensitive, byte-wise, as OpenSSH
// calls it for signatures.

const MAX_SUBPATTERN_BYTES = 1023;

export type PatternListMatch = 'match' | 'no-match' | 'negated';

export function matchPatternList(subject: string, patternList: string): PatternListMatch {
  const text = Buffer.from(subject, 'utf8');
  const pieces = patternList.split(',');
  // A trailing comma ends the list rather than adding an empty pattern, as in match.c.
  if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop();
  let positive = false;
  for (const piece of pieces) {
    const negated = piece.startsWith('!');
    const pattern = Buffer.from(negated ? piece.slice(1) : piece, 'utf8');
    // match.c gives up on an overlong subpattern: the whole list fails to match.
    if (pattern.length >= MAX_SUBPATTERN_BYTES) return 'no-match';
    if (matchPattern(text, pattern)) {
      if (negated) return 'negated';
      positive = true;
    }
  }
  return positive ? 'match' : 'no-match';
}

const STAR = 0x2a;
const QUESTION = 0x3f;

/** Glob match in linear-time backtracking (the last '*' only), so no pattern can blow up. */
export function matchPattern(text: Buffer, pattern: Buffer): boolean {
  let t = 0;
  let p = 0;
  let starAt = -1;
  let starText = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === STAR) {
      starAt = p++;
      starText = t;
    } else if (p < pattern.length && (pattern[p] === QUESTION || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (starAt >= 0) {
      p = starAt + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === STAR) p++;
  return p === pattern.length;
}
