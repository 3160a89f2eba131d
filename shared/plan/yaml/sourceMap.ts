import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from '../draft';
import type { PlanPath } from '../path';

/** Answers "where in the file is this path?" for problems found on the plain value. */
export interface PlanSourceMap {
  /** The node at `path`, or its nearest ancestor present; with `atKey`, the entry's key. */
  position(path: PlanPath, atKey?: boolean): SourcePosition;
  /** The text of the scalar at `path` exactly as written, when there is one. */
  scalarText(path: PlanPath): string | undefined;
}

interface Found {
  readonly node: Node | null;
  readonly keyNode: Node | null;
  readonly complete: boolean;
}

export function createSourceMap(doc: Document.Parsed, text: string, lineCounter: LineCounter): PlanSourceMap {
  const toPosition = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };

  const walk = (path: PlanPath): Found => {
    let node: Node | null = resolve(doc, doc.contents);
    let keyNode: Node | null = null;
    for (const segment of path) {
      if (node === null) return { node, keyNode, complete: false };
      let next: Node | null | undefined;
      let nextKey: Node | null = null;
      if (typeof segment === 'number' && isSeq(node)) {
        next = node.items[segment] as Node | null | undefined;
      } else if (typeof segment === 'string' && isMap(node)) {
        const pair = node.items.find((item) => keyText(doc, item.key as Node | null) === segment);
        if (pair) {
          next = (pair.value as Node | null) ?? null;
          nextKey = pair.key as Node | null;
          // `key:` with nothing after it still locates: at the key.
          if (next === null || next.range == null) next = nextKey;
        }
      }
      if (next === undefined || next === null) return { node, keyNode, complete: false };
      node = resolve(doc, next);
      keyNode = nextKey;
    }
    return { node, keyNode, complete: true };
  };

  return {
    position(path, atKey = false) {
      const found = walk(path);
      const target = atKey && found.complete && found.keyNode ? found.keyNode : found.node;
      const offset = target?.range?.[0] ?? firstContentOffset(doc);
      return toPosition(offset);
    },
    scalarText(path) {
      const found = walk(path);
      if (!found.complete || !isScalar(found.node) || !found.node.range) return undefined;
      return text.slice(found.node.range[0], found.node.range[1]);
    },
  };
}

function resolve(doc: Document.Parsed, node: Node | null): Node | null {
  let current = node;
  // Aliases point at anchors defined earlier, so this ends; the bound is belt and braces.
  for (let hops = 0; current !== null && isAlias(current) && hops < 1000; hops += 1) {
    current = current.resolve(doc) ?? null;
  }
  return current;
}

function keyText(doc: Document.Parsed, key: Node | null): string | undefined {
  const node = resolve(doc, key);
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' ? node.value : String(node.value);
}

function firstContentOffset(doc: Document.Parsed): number {
  return doc.contents?.range?.[0] ?? doc.range[0];
}
