import { z } from 'zod';
import { closest, describeValue, groupDigits, listWords, quoteShort } from './describe';
import type { ProblemDraft } from './draft';
import { PLAN_LIMITS } from './limits';
import { formatPlanPath, type PlanPath } from './path';
import type { PlanProblemCode } from './problems';
import { PLAN_API_VERSION } from './schema/planSchema';
import { expectedAt, knownKeysAt, valueAt } from './schema/navigate';
import type { RuleParams } from './schema/rules';
import type { PlanSourceMap } from './yaml/sourceMap';

// zod reports issues in its own terms; a person needs the place, what was there, what belongs
// there and what to do. Messages are built here from the schema's own words.

interface Context {
  readonly schema: z.ZodType;
  readonly document: unknown;
  readonly sourceMap: PlanSourceMap;
}

const LIST_LIMITS: Readonly<Record<string, { max: number; noun: string }>> = {
  hosts: { max: PLAN_LIMITS.maxHosts, noun: 'hosts' },
  steps: { max: PLAN_LIMITS.maxSteps, noun: 'steps' },
  baseline: { max: PLAN_LIMITS.maxChecks, noun: 'baseline checks' },
};

export function schemaProblems(issues: readonly z.core.$ZodIssue[], context: Context): ProblemDraft[] {
  const drafts: ProblemDraft[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    for (const draft of fromIssue(issue, context)) {
      const key = `${formatPlanPath(draft.path)}\u0000${draft.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      drafts.push(draft);
    }
  }
  return drafts;
}

function fromIssue(issue: z.core.$ZodIssue, context: Context): ProblemDraft[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(path, key, context));
    case 'invalid_union':
      return [discriminator(issue, path, context)];
    case 'invalid_key':
      return [badKey(issue, path)];
    case 'invalid_type':
      return [valueAt(context.document, path) === undefined ? required(path, context) : wrongType(issue, path, context)];
    case 'invalid_value':
      return [wrongValue(issue, path, context)];
    case 'too_big':
    case 'too_small':
      return [outOfRange(issue, path, context)];
    case 'custom':
      return [ruleBroken(issue, path, context)];
    default:
      return [generic('SCHEMA_FORMAT', path, issue.message, context)];
  }
}

function draft(code: PlanProblemCode, path: PlanPath, found: string, expected: string, message: string, pointAtKey = false): ProblemDraft {
  return { code, severity: 'error', path, found, expected, message, ...(pointAtKey ? { pointAtKey } : {}) };
}

function found(path: PlanPath, context: Context): string {
  return describeValue(valueAt(context.document, path), {
    sourceText: context.sourceMap.scalarText(path),
    hidden: isSecretValue(path, context.document),
  });
}

// A variable's value is shown in no message once the variable is (or tries to be) secret.
function isSecretValue(path: PlanPath, document: unknown): boolean {
  if (path[0] !== 'variables' || path.length < 3 || path[2] !== 'value') return false;
  const secret = valueAt(document, [path[0], path[1]!, 'secret']);
  return secret !== undefined && secret !== false;
}

// Keys are shown as written when they are short and printable, quoted and escaped otherwise.
const shownKey = (key: string): string => (/^[\x21-\x7e]{1,48}$/.test(key) ? `\`${key}\`` : quoteShort(key));
const label = (path: PlanPath): string => (path.length === 0 ? 'The plan' : formatPlanPath(path));
const parentLabel = (path: PlanPath): string => label(path.slice(0, -1));
const lastKey = (path: PlanPath): string => String(path[path.length - 1] ?? '');

function expected(path: PlanPath, context: Context, fallback: string): string {
  return expectedAt(context.schema, context.document, path) ?? fallback;
}

function required(path: PlanPath, context: Context): ProblemDraft {
  const key = lastKey(path);
  const what = expected(path, context, 'a value');
  return draft('SCHEMA_REQUIRED', path, 'nothing', what, `${parentLabel(path)} is missing \`${key}\`; add it: ${what}.`);
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
};

function wrongType(issue: z.core.$ZodIssue & { code: 'invalid_type' }, path: PlanPath, context: Context): ProblemDraft {
  const value = valueAt(context.document, path);
  const what = expected(path, context, TYPE_WORDS[issue.expected] ?? issue.expected);
  const was = found(path, context);
  let hint = '';
  const written = context.sourceMap.scalarText(path);
  if (isSecretValue(path, context.document)) {
    hint = ''; // hints quote the value back, which a secret's value must never be
  } else if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean') && written !== undefined) {
    hint = ` Put it in quotes: '${written}'.`;
  } else if ((issue.expected === 'number' || issue.expected === 'int') && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    hint = ' Remove the quotes.';
  } else if (issue.expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
    hint = ' Write true or false.';
  } else if (issue.expected === 'array' && typeof value === 'string') {
    // The value is quoted back only when it is one short printable line: a message is one line
    // whatever the plan holds (a block scalar would otherwise break it across lines).
    hint = /^[\x20-\x7e]{1,64}$/.test(value) ? ` Write it as a list: [${value}].` : ' Write it as a list: one `- item` per line.';
  } else if (value === null) {
    hint = ' Give it a value, or remove the key.';
  }
  const notWhat = value === null ? 'but it is empty' : `not ${was}`;
  return draft('SCHEMA_TYPE', path, was, what, `${label(path)} must be ${what}, ${notWhat}.${hint}`);
}

function unknownKey(path: PlanPath, key: string, context: Context): ProblemDraft {
  const known = knownKeysAt(context.schema, context.document, path) ?? [];
  const suggestion = closest(key, known);
  const keyPath = [...path, key];
  const advice = suggestion
    ? `did you mean \`${suggestion}\`?`
    : known.length > 0
      ? `the keys allowed here are ${listWords(known, 'and', 20)}.`
      : 'remove it.';
  return draft(
    'SCHEMA_UNKNOWN_KEY',
    keyPath,
    `the key ${quoteShort(key)}`,
    known.length > 0 ? `one of the keys ${listWords(known, 'or', 20)}` : 'no such key',
    `${label(path)} has an unknown key ${shownKey(key)}; ${advice}`,
    true,
  );
}

function discriminator(issue: z.core.$ZodIssue & { code: 'invalid_union' }, path: PlanPath, context: Context): ProblemDraft {
  const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
  if (options.length === 0) return generic('SCHEMA_TYPE', path, issue.message, context);
  const value = valueAt(context.document, path);
  const what = `one of ${listWords(options)}`;
  if (value === undefined) return draft('SCHEMA_REQUIRED', path, 'nothing', what, `${parentLabel(path)} is missing \`type\`; add it: ${what}.`);
  if (typeof value !== 'string') {
    return draft('SCHEMA_TYPE', path, found(path, context), what, `${label(path)} must be ${what}, not ${found(path, context)}.`);
  }
  const suggestion = closest(value, options);
  const advice = suggestion ? ` Did you mean ${suggestion}?` : '';
  return draft('SCHEMA_ENUM', path, found(path, context), what, `${label(path)} must be ${what}, not ${found(path, context)}.${advice}`);
}

function badKey(issue: z.core.$ZodIssue & { code: 'invalid_key' }, path: PlanPath): ProblemDraft {
  const inner = issue.issues[0];
  const what = inner && inner.code !== 'invalid_type' ? inner.message : 'a valid name';
  const key = lastKey(path);
  return draft('SCHEMA_FORMAT', path, `the key ${quoteShort(key)}`, what, `${label(path.slice(0, -1))} has the key ${shownKey(key)}, which is not ${what}; rename it.`, true);
}

function wrongValue(issue: z.core.$ZodIssue & { code: 'invalid_value' }, path: PlanPath, context: Context): ProblemDraft {
  const value = valueAt(context.document, path);
  if (value === undefined) return required(path, context);
  const options = issue.values.map(String);
  if (path.length === 1 && path[0] === 'apiVersion' && typeof value === 'string' && /^fieldrun\/v\d{1,4}$/.test(value)) {
    return draft(
      'API_VERSION_UNSUPPORTED',
      path,
      found(path, context),
      PLAN_API_VERSION,
      `This plan is written for ${value}, but this version of Fieldrun reads ${PLAN_API_VERSION} plans; update Fieldrun or ask head office for a ${PLAN_API_VERSION} plan.`,
    );
  }
  const what = options.length === 1 ? options[0]! : `one of ${listWords(options)}`;
  const suggestion = typeof value === 'string' ? closest(value, options) : undefined;
  const advice = suggestion && options.length > 1 ? ` Did you mean ${suggestion}?` : '';
  return draft('SCHEMA_ENUM', path, found(path, context), what, `${label(path)} must be ${what}, not ${found(path, context)}.${advice}`);
}

function outOfRange(issue: z.core.$ZodIssue & { code: 'too_big' | 'too_small' }, path: PlanPath, context: Context): ProblemDraft {
  const value = valueAt(context.document, path);
  const limit = path.length === 1 ? LIST_LIMITS[String(path[0])] : undefined;
  if (issue.code === 'too_big' && limit && Array.isArray(value)) {
    const itemPath = [...path, limit.max];
    return draft(
      'TOO_MANY_ITEMS',
      itemPath,
      `${groupDigits(value.length)} ${limit.noun}`,
      `at most ${groupDigits(limit.max)} ${limit.noun}`,
      `The plan has ${groupDigits(value.length)} ${limit.noun}; a plan may have at most ${groupDigits(limit.max)}, so split it into several plans.`,
    );
  }
  const what = customMessage(issue) ?? rangeWords(issue);
  if (Array.isArray(value) && value.length === 0 && issue.code === 'too_small') {
    return draft('SCHEMA_RANGE', path, 'an empty list', what, `${label(path)} is empty; it needs ${what}.`);
  }
  return draft('SCHEMA_RANGE', path, found(path, context), what, `${label(path)} must be ${what}, not ${found(path, context)}.`);
}

function customMessage(issue: z.core.$ZodIssue): string | undefined {
  // zod's own messages start with "Too big"/"Too small"/"Invalid"; ours are plain expectations.
  return /^(Too |Invalid )/.test(issue.message) ? undefined : issue.message;
}

function rangeWords(issue: z.core.$ZodIssue & { code: 'too_big' | 'too_small' }): string {
  const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
  const relation = issue.code === 'too_big' ? 'at most' : 'at least';
  return `${relation} ${String(bound)}${unit}`;
}

function ruleBroken(issue: z.core.$ZodIssue & { code: 'custom' }, path: PlanPath, context: Context): ProblemDraft {
  const params = issue.params as Partial<RuleParams> | undefined;
  if (params?.planCode !== 'SCHEMA_ONE_OF' && params?.planCode !== 'SCHEMA_CONFLICT') return generic('SCHEMA_FORMAT', path, issue.message, context);
  const what = params.expected ?? '';
  const was = params.found ?? '';
  // A rule points at the offending key, or at the mapping itself when a key is missing.
  const atKey = issue.path.length > 0 && lastKey(path) !== '' && !was.startsWith('none');
  const owner = atKey ? parentLabel(path) : label(path);
  const message =
    params.planCode === 'SCHEMA_ONE_OF'
      ? `${owner} needs ${what}; it has ${was}.`
      : `${owner} has ${was}, which cannot both hold; remove \`${lastKey(path)}\`.`;
  return draft(params.planCode, path, was, what, message, atKey);
}

function generic(code: PlanProblemCode, path: PlanPath, message: string, context: Context): ProblemDraft {
  const what = /^(Too |Invalid )/.test(message) ? expected(path, context, 'a valid value') : message;
  const was = found(path, context);
  return draft(code, path, was, what, `${label(path)} must be ${what}, not ${was}.`);
}

