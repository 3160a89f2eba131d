import { groupDigits } from './describe';
import { DOCUMENT_START, positionAt, type ProblemDraft, type SourcePosition } from './draft';
import { PLAN_LIMITS } from './limits';

// Turning the file's bytes into text: size first (a 50 MB file costs nothing to refuse), then
// strict UTF-8, then characters YAML does not allow (a NUL means someone picked a binary file).
export type PlanText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: ProblemDraft };

const BOM = '\uFEFF';

// Outside YAML 1.2's printable set: C0 controls other than tab, LF and CR; DEL; C1 controls
// other than NEL; and the two non-characters at the end of the BMP.
// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function decodePlanText(input: string | Uint8Array): PlanText {
  const tooLarge = checkSize(input);
  if (tooLarge) return { ok: false, problem: tooLarge };
  let text: string;
  if (typeof input === 'string') {
    const surrogate = LONE_SURROGATE.exec(input);
    if (surrogate) return { ok: false, problem: notUtf8(positionAt(input, surrogate.index), 'a lone UTF-16 surrogate') };
    text = input.startsWith(BOM) ? input.slice(1) : input;
  } else {
    try {
      // The default decoder drops a leading byte order mark, as YAML allows.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const offset = firstInvalidUtf8(input);
      return { ok: false, problem: notUtf8(bytePosition(input, offset), describeByte(input[offset])) };
    }
  }
  return checkCharacters(text);
}

function checkSize(input: string | Uint8Array): ProblemDraft | undefined {
  const max = PLAN_LIMITS.maxBytes;
  // A UTF-16 unit is at least one UTF-8 byte, so a long string is refused without measuring.
  const size = typeof input === 'string' ? (input.length > max ? input.length : utf8Length(input)) : input.length;
  if (size <= max) return undefined;
  const found = typeof input === 'string' && input.length > max ? `more than ${bytes(max)}` : bytes(size);
  return {
    code: 'PLAN_TOO_LARGE',
    severity: 'error',
    path: [],
    position: DOCUMENT_START,
    found,
    expected: `at most ${bytes(max)}`,
    message: `The plan file is ${found}, more than the ${bytes(max)} a plan may have; check that this is the right file, or split the plan.`,
  };
}

function checkCharacters(text: string): PlanText {
  NON_PRINTABLE.lastIndex = 0;
  const first = NON_PRINTABLE.exec(text);
  if (!first) return { ok: true, text };
  const code = first[0].charCodeAt(0);
  let count = 1;
  while (NON_PRINTABLE.exec(text) && count < 1_000_000) count += 1;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const binary = code === 0 ? ' (a NUL: this looks like a binary file, not a plan)' : '';
  const more = count > 1 ? `, and ${count - 1} more such character${count > 2 ? 's' : ''}` : '';
  return {
    ok: false,
    problem: {
      code: 'CONTROL_CHARACTER',
      severity: 'error',
      path: [],
      position: positionAt(text, first.index),
      found: `the control character ${name}${more}`,
      expected: 'printable text (tabs and line breaks allowed)',
      message: `The plan contains the control character ${name}${binary}${more}; a plan is YAML text, so remove it or open the right file.`,
    },
  };
}

function notUtf8(position: SourcePosition, found: string): ProblemDraft {
  return {
    code: 'NOT_UTF8',
    severity: 'error',
    path: [],
    position,
    found,
    expected: 'text encoded as UTF-8',
    message: `The plan is not valid UTF-8 here (${found}); save it as UTF-8 (with or without BOM) or check that this is the plan file.`,
  };
}

/** Offset of the first byte that starts an invalid or truncated UTF-8 sequence, or -1. */
export function firstInvalidUtf8(data: Uint8Array): number {
  let i = 0;
  while (i < data.length) {
    const lead = data[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead === 0xe0) [need, low] = [2, 0xa0];
    else if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef) need = 2;
    else if (lead === 0xed) [need, high] = [2, 0x9f]; // would encode a surrogate
    else if (lead === 0xf0) [need, low] = [3, 0x90];
    else if (lead >= 0xf1 && lead <= 0xf3) need = 3;
    else if (lead === 0xf4) [need, high] = [3, 0x8f]; // beyond U+10FFFF otherwise
    else return i;
    for (let k = 1; k <= need; k += 1) {
      const next = data[i + k];
      if (next === undefined) return i;
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next < min || next > max) return i;
    }
    i += need + 1;
  }
  return -1;
}

function bytePosition(data: Uint8Array, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = data.indexOf(0x0a); i !== -1 && i < offset; i = data.indexOf(0x0a, i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  const before = new TextDecoder('utf-8').decode(data.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}

function describeByte(value: number | undefined): string {
  return value === undefined ? 'the end of the file' : `the byte 0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      length += 4;
      i += 1;
    } else length += 3;
  }
  return length;
}

function bytes(count: number): string {
  const grouped = groupDigits(count);
  return count >= 1024 * 1024 ? `${grouped} bytes (${(count / (1024 * 1024)).toFixed(1)} MiB)` : `${grouped} bytes`;
}
