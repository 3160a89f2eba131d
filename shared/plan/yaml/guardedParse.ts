import { CST, Lexer, LineCounter, Parser } from 'yaml';
import type { ProblemDraft } from '../draft';
import { groupDigits } from '../describe';
import { PLAN_LIMITS } from '../limits';

// yaml's composer recurses once per nesting level, and at a few thousand levels it exhausts the
// stack inside V8's regex compiler, which kills the process outright (no catchable error). Its
// lexer and parser are iterative, so the source is fed to them one lexeme at a time and refused
// as soon as nesting, aliases or the node count pass a limit: a hostile file costs no more than
// the part of it read before the limit was reached.
export type GuardedParse =
  | { readonly ok: true; readonly tokens: CST.Token[]; readonly lineCounter: LineCounter }
  | { readonly ok: false; readonly problem: ProblemDraft };

// The parser's stack holds the document, each open collection and at most a pending scalar or
// two; the exact depth is measured later on the composed nodes, this only bounds the composer.
const STACK_SLACK = 4;

export function guardedParse(text: string): GuardedParse {
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  let aliases = 0;
  let nodes = 0;
  const position = (): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(parser.offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    const first = lexeme.charCodeAt(0);
    if (first === 0x2a /* '*' */) {
      aliases += 1;
      if (aliases > PLAN_LIMITS.maxAliases) return { ok: false, problem: tooManyAliases(position()) };
    }
    if (lexeme === CST.SCALAR || first === 0x22 /* '"' */ || first === 0x27 /* "'" */ || first === 0x2a) {
      nodes += 1;
      if (nodes > PLAN_LIMITS.maxNodes) return { ok: false, problem: tooManyNodes(position(), false) };
    }
    if (parser.stack.length > PLAN_LIMITS.maxDepth + STACK_SLACK) return { ok: false, problem: tooDeep(position()) };
  }
  for (const token of parser.end()) tokens.push(token);
  return { ok: true, tokens, lineCounter };
}

export function tooDeep(position: { line: number; column: number }): ProblemDraft {
  return {
    code: 'TOO_DEEP',
    severity: 'error',
    path: [],
    position,
    found: `more than ${PLAN_LIMITS.maxDepth} nested levels`,
    expected: `at most ${PLAN_LIMITS.maxDepth} levels of nested mappings and lists`,
    message: `The plan nests mappings or lists more than ${PLAN_LIMITS.maxDepth} levels deep here; a plan needs fewer than 10, so this file is damaged or not a plan.`,
  };
}

export function tooManyAliases(position: { line: number; column: number }): ProblemDraft {
  return {
    code: 'ALIAS_LIMIT',
    severity: 'error',
    path: [],
    position,
    found: `more than ${PLAN_LIMITS.maxAliases} aliases`,
    expected: `at most ${PLAN_LIMITS.maxAliases} aliases (*name)`,
    message: `The plan uses more than ${PLAN_LIMITS.maxAliases} YAML aliases (*name); write the repeated parts out or use fewer aliases.`,
  };
}

export function tooManyNodes(position: { line: number; column: number }, throughAliases: boolean): ProblemDraft {
  const limit = groupDigits(PLAN_LIMITS.maxNodes);
  return throughAliases
    ? {
        code: 'ALIAS_LIMIT',
        severity: 'error',
        path: [],
        position,
        found: `aliases that expand to more than ${limit} values`,
        expected: `at most ${limit} values after aliases are expanded`,
        message: `The plan's aliases expand to more than ${limit} values (an "alias bomb"); write the repeated parts out instead.`,
      }
    : {
        code: 'TOO_MANY_NODES',
        severity: 'error',
        path: [],
        position,
        found: `more than ${limit} values`,
        expected: `at most ${limit} keys and values`,
        message: `The plan holds more than ${limit} keys and values; split it into smaller plans.`,
      };
}
