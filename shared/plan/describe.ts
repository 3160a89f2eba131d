// Short, printable descriptions of values for `found`: a person sees what the validator saw,
// without a screenful of text, and never the value of a secret.
const MAX_SHOWN = 48;

/** 1234567 -> '1,234,567' without depending on the runtime's locale data. */
export function groupDigits(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A string as it would be written in YAML single quotes, shortened and with controls escaped. */
export function quoteShort(text: string): string {
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  // eslint-disable-next-line no-control-regex
  const escaped = shown.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return `'${escaped.replace(/'/g, "''")}'`;
}

export interface DescribeOptions {
  /** The value's text as written in the file (keeps `1.20` from reading as `1.2`). */
  readonly sourceText?: string | undefined;
  /** Secret values are described by kind only. */
  readonly hidden?: boolean;
}

export function describeValue(value: unknown, options: DescribeOptions = {}): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  const kind = kindOf(value);
  if (options.hidden === true) return `${kind} (hidden: it belongs to a secret)`;
  if (typeof value === 'string') return `${quoteShort(value)} (a text)`;
  if (typeof value === 'number' || typeof value === 'boolean') {
    const written = options.sourceText !== undefined && options.sourceText.length <= MAX_SHOWN ? options.sourceText : String(value);
    return `${written} (${kind})`;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${groupDigits(value.length)} item${value.length === 1 ? '' : 's'}`;
  return 'a mapping';
}

export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return 'a text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

/** Edit distance, for "did you mean" suggestions on short words. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** 'a', 'a or b', 'a, b or c'; long lists are cut with a count. */
export function listWords(words: readonly string[], conjunction = 'or', max = 12): string {
  const shown = words.length > max ? [...words.slice(0, max), `${words.length - max} more`] : [...words];
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`;
}

/** A name from the document inside a message: as written when it is a short printable word. */
export function shown(text: string): string {
  return /^[\x21-\x7e]{1,64}$/.test(text) ? text : quoteShort(text);
}
