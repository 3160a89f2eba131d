import { Composer, type Document, type LineCounter, type YAMLError } from 'yaml';
import { quoteShort } from '../describe';
import type { ProblemDraft, SourcePosition } from '../draft';
import { PLAN_LIMITS } from '../limits';
import type { PlanProblemCode } from '../problems';
import { guardedParse } from './guardedParse';
import { createSourceMap, type PlanSourceMap } from './sourceMap';
import { toPlainValue } from './toPlainValue';

export type PlanYaml =
  | { readonly ok: true; readonly value: unknown; readonly sourceMap: PlanSourceMap }
  | { readonly ok: false; readonly problems: ProblemDraft[] };

// YAML 1.2 core schema: `yes`, `no` and `on` stay text and timestamps stay text, so a plan
// means the same in every YAML 1.2 tool. No merge keys (`<<`): one way to write a thing.
const COMPOSER_OPTIONS = {
  version: '1.2',
  schema: 'core',
  merge: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
  keepSourceTokens: false,
  intAsBigInt: false,
  maxAliasCount: PLAN_LIMITS.maxAliases,
} as const;

export function loadPlanYaml(text: string): PlanYaml {
  const parsed = guardedParse(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const position = positionIn(parsed.lineCounter);

  const documents: Document.Parsed[] = [];
  for (const doc of new Composer(COMPOSER_OPTIONS).compose(parsed.tokens, true, text.length)) documents.push(doc);
  const doc = documents[0]!;

  const problems = firstSyntaxErrorOnly([...doc.errors, ...doc.warnings].map((error) => yamlProblem(error, text, position)));
  const second = documents[1];
  if (second) problems.push(multipleDocuments(position(second.range[0])));
  if (problems.length > 0) return { ok: false, problems };

  if (doc.contents === null) return { ok: false, problems: [emptyPlan()] };
  const plain = toPlainValue(doc, position);
  if (plain.problems.length > 0) return { ok: false, problems: plain.problems };
  return { ok: true, value: plain.value, sourceMap: createSourceMap(doc, text, parsed.lineCounter) };
}

// One syntax error (a tab, a missing bracket) makes the parser misread the lines after it, and
// the errors that follow are echoes of the first. Other YAML problems (duplicate keys, tags)
// stand on their own and are all reported.
function firstSyntaxErrorOnly(problems: ProblemDraft[]): ProblemDraft[] {
  const first = problems.find((problem) => problem.code === 'YAML_SYNTAX');
  return problems.filter((problem) => problem.code !== 'YAML_SYNTAX' || problem === first);
}

function positionIn(lineCounter: LineCounter): (offset: number) => SourcePosition {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };
}

const CODE_FOR: Partial<Record<YAMLError['code'], PlanProblemCode>> = {
  DUPLICATE_KEY: 'YAML_DUPLICATE_KEY',
  MULTIPLE_DOCS: 'YAML_MULTIPLE_DOCUMENTS',
  TAG_RESOLVE_FAILED: 'YAML_TAG',
  BAD_COLLECTION_TYPE: 'YAML_TAG',
  NON_STRING_KEY: 'YAML_COMPLEX_KEY',
  RESOURCE_EXHAUSTION: 'ALIAS_LIMIT',
};

// What to do about the errors people actually make when writing YAML by hand.
const HINT_FOR: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation: entries of one mapping or list start in the same column',
  MISSING_CHAR: 'a quote or bracket is not closed',
  BAD_DQ_ESCAPE: 'inside double quotes a backslash starts an escape; use single quotes for text with backslashes',
  BAD_SCALAR_START: 'put values that start with a special character (such as > | * & ! % @ `) in quotes',
  MULTILINE_IMPLICIT_KEY: 'a key and its colon must be on one line; a value containing ": " needs quotes',
  BLOCK_AS_IMPLICIT_KEY: 'a key and its colon must be on one line; a value containing ": " needs quotes',
  UNEXPECTED_TOKEN: 'check the indentation and quote values that contain ": " or " #"',
  BAD_ALIAS: 'an alias (*name) must refer to an anchor (&name) defined before it',
  TAG_RESOLVE_FAILED: 'remove the tag (a word starting with !), plans use plain YAML values',
  BAD_COLLECTION_TYPE: 'remove the tag (a word starting with !), plans use plain YAML values',
};

function yamlProblem(error: YAMLError, text: string, position: (offset: number) => SourcePosition): ProblemDraft {
  const code = CODE_FOR[error.code] ?? 'YAML_SYNTAX';
  const [start, end] = error.pos;
  const snippet = text.slice(start, Math.min(end, start + 200));
  const found = start >= text.length ? 'the end of the file' : snippet === '' ? 'nothing' : quoteShort(snippet);
  if (code === 'YAML_DUPLICATE_KEY') {
    const key = quoteShort((/^[^:\n]*/.exec(text.slice(start, start + 200))?.[0] ?? '').trim());
    return {
      code,
      severity: 'error',
      path: [],
      position: position(start),
      found: `the key ${key} a second time`,
      expected: 'each key once per mapping',
      message: `The key ${key} appears twice in the same mapping; remove or rename one of them.`,
    };
  }
  const what = firstSentence(error.message);
  const hint = HINT_FOR[error.code];
  return {
    code,
    severity: 'error',
    path: [],
    position: position(start),
    found,
    expected: hint ?? 'valid YAML',
    message: hint ? `YAML error: ${what}; ${hint}.` : `YAML error: ${what}; fix the YAML here.`,
  };
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  const bare = line.replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
  return bare.length > 160 ? `${bare.slice(0, 159)}…` : bare;
}

function multipleDocuments(position: SourcePosition): ProblemDraft {
  return {
    code: 'YAML_MULTIPLE_DOCUMENTS',
    severity: 'error',
    path: [],
    position,
    found: 'a second YAML document',
    expected: 'exactly one YAML document',
    message: 'A second YAML document starts here (after ---); a plan file holds one plan, so remove the extra document or the --- line.',
  };
}

function emptyPlan(): ProblemDraft {
  return {
    code: 'EMPTY_PLAN',
    severity: 'error',
    path: [],
    position: { line: 1, column: 1 },
    found: 'an empty document',
    expected: 'an installation plan (apiVersion: fieldrun/v1, kind: InstallationPlan, …)',
    message: 'The file holds no plan, only comments or nothing at all; check that this is the plan file.',
  };
}
