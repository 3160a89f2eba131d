import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import type { ProblemDraft, SourcePosition } from '../draft';
import { PLAN_LIMITS } from '../limits';
import type { PlanPath } from '../path';
import { tooDeep, tooManyNodes } from './guardedParse';

// The composed YAML nodes become plain data for the schema. Done here rather than with yaml's
// toJS so that aliases are expanded under our own budget (toJS shares one object between all
// uses of an anchor, and walking that graph as a tree is where an alias bomb explodes), keys are
// always plain strings, and `__proto__` never reaches an object literal.
export interface PlainValue {
  readonly value: unknown;
  readonly problems: ProblemDraft[];
}

class Stop extends Error {}

export function toPlainValue(doc: Document.Parsed, position: (offset: number) => SourcePosition): PlainValue {
  const problems: ProblemDraft[] = [];
  let nodes = 0;
  let aliasUsed = false;
  const resolving = new Set<Node>();
  const at = (node: Node | null | undefined): SourcePosition => position(node?.range?.[0] ?? 0);

  const fail = (problem: ProblemDraft): never => {
    problems.push(problem);
    throw new Stop();
  };

  const convert = (node: Node | null, path: PlanPath, depth: number): unknown => {
    if (node === null) return null;
    nodes += 1;
    if (nodes > PLAN_LIMITS.maxNodes) fail(tooManyNodes(at(node), aliasUsed));
    if (isAlias(node)) {
      aliasUsed = true;
      const target = node.resolve(doc);
      if (!target) return null; // yaml has already reported the unknown anchor
      if (resolving.has(target)) fail(aliasCycle(at(node), node.source));
      resolving.add(target);
      nodes -= 1; // the alias stands for its target, which is counted in its place
      const value = convert(target, path, depth);
      resolving.delete(target);
      return value;
    }
    if (isScalar(node)) return plainScalar(node.value);
    if (depth + 1 > PLAN_LIMITS.maxDepth) fail(tooDeep(at(node)));
    if (isSeq(node)) return node.items.map((item, index) => convert(item as Node | null, [...path, index], depth + 1));
    if (isMap(node)) {
      const record: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = plainKey(keyNode);
        if (key === undefined) {
          problems.push(complexKey(at(keyNode), [...path]));
          continue;
        }
        nodes += 1;
        if (key === '__proto__') {
          problems.push(reservedKey(at(keyNode), [...path, key]));
          continue;
        }
        const value = convert(pair.value as Node | null, [...path, key], depth + 1);
        Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return record;
    }
    return null;
  };

  const plainKey = (keyNode: Node | null): string | undefined => {
    let node = keyNode;
    if (node !== null && isAlias(node)) node = node.resolve(doc) ?? null;
    if (node === null) return '';
    if (!isScalar(node)) return undefined;
    return typeof node.value === 'string' ? node.value : String(node.value);
  };

  // Sizes first, in one linear pass that counts each anchor once: an alias bomb is refused
  // before a single value of it is expanded.
  const size = expandedSize(doc, doc.contents);
  if (size.nodes > PLAN_LIMITS.maxNodes) {
    return { value: undefined, problems: [tooManyNodes(at(size.biggestAlias ?? doc.contents), size.biggestAlias !== undefined)] };
  }

  try {
    return { value: convert(doc.contents, [], 0), problems };
  } catch (error) {
    if (error instanceof Stop) return { value: undefined, problems };
    throw error;
  }
}

function plainScalar(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function aliasCycle(position: SourcePosition, name: string): ProblemDraft {
  return {
    code: 'ALIAS_LIMIT',
    severity: 'error',
    path: [],
    position,
    found: `the alias *${name} inside its own anchor`,
    expected: 'aliases that refer to a finished node',
    message: `The alias *${name} refers to the node that contains it, which would never end; remove it.`,
  };
}

function complexKey(position: SourcePosition, path: PlanPath): ProblemDraft {
  return {
    code: 'YAML_COMPLEX_KEY',
    severity: 'error',
    path,
    position,
    found: 'a mapping or list used as a key',
    expected: 'a plain text key',
    message: 'A mapping or list is used as a key here; plan keys are plain words such as `title`.',
  };
}

function reservedKey(position: SourcePosition, path: PlanPath): ProblemDraft {
  return {
    code: 'RESERVED_KEY',
    severity: 'error',
    path,
    position,
    found: "'__proto__'",
    expected: 'a key other than __proto__',
    message: 'The key __proto__ is reserved and cannot be used in a plan; rename it.',
  };
}

interface ExpandedSize {
  readonly nodes: number;
  /** The alias that stands for the most nodes, where an alias bomb is best pointed at. */
  readonly biggestAlias: Node | undefined;
}

function expandedSize(doc: Document.Parsed, root: Node | null): ExpandedSize {
  const memo = new Map<Node, number>();
  const inProgress = new Set<Node>();
  let biggestAlias: Node | undefined;
  let biggest = -1;
  // Iterative post-order walk: the depth of the document is not yet known to be sane here.
  const sizeOf = (start: Node): number => {
    const stack: { node: Node; expanded: boolean }[] = [{ node: start, expanded: false }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const node = frame.node;
      if (memo.has(node)) {
        stack.pop();
        continue;
      }
      const children = childrenOf(doc, node);
      if (!frame.expanded) {
        frame.expanded = true;
        inProgress.add(node);
        for (const child of children) if (!memo.has(child) && !inProgress.has(child)) stack.push({ node: child, expanded: false });
        continue;
      }
      stack.pop();
      inProgress.delete(node);
      // A child still in progress is an alias into its own anchor: the converter reports it.
      let total = isAlias(node) ? 0 : 1;
      for (const child of children) total = Math.min(total + (memo.get(child) ?? 0), Number.MAX_SAFE_INTEGER);
      memo.set(node, total);
      if (isAlias(node) && total > biggest) [biggest, biggestAlias] = [total, node];
    }
    return memo.get(start) ?? 0;
  };
  return { nodes: root === null ? 0 : sizeOf(root), biggestAlias };
}

function childrenOf(doc: Document.Parsed, node: Node): Node[] {
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return target ? [target] : [];
  }
  if (isSeq(node)) return node.items.filter((item): item is Node => item !== null && typeof item === 'object');
  if (isMap(node)) {
    const children: Node[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      // The key counts as one node whatever it is; a complex key is refused later anyway.
      children.push(KEY_PLACEHOLDER);
      if (pair.value !== null && typeof pair.value === 'object') children.push(pair.value as Node);
    }
    return children;
  }
  return [];
}

// Keys count one node each; one shared placeholder stands for all of them.
const KEY_PLACEHOLDER = new Scalar('key') as unknown as Node;
