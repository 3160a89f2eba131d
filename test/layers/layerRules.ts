import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

// The layers of STYLE.md, as data: which imports each part of the tree may not make.
export interface LayerRule {
  readonly name: string;
  /** Folders (relative to the repo) whose files the rule applies to. */
  readonly folders: readonly string[];
  readonly forbids: (specifier: string) => boolean;
  readonly why: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NODE_ONLY_PACKAGES = ['better-sqlite3', 'ssh2', 'ws', 'tsx'];
const isNodeOnly = (s: string): boolean =>
  s.startsWith('node:') || NODE_BUILTINS.has(s) || NODE_BUILTINS.has(s.split('/')[0] ?? '') || NODE_ONLY_PACKAGES.some((p) => s === p || s.startsWith(`${p}/`));
const isElectron = (s: string): boolean => s === 'electron' || s.startsWith('electron/');

export const LAYER_RULES: readonly LayerRule[] = [
  { name: 'core knows no Electron', folders: ['electron/core', 'electron/host', 'electron/cli'], forbids: isElectron, why: 'the core runs under Node, the host and tests too' },
  { name: 'shared imports no Node or Electron', folders: ['shared'], forbids: (s) => isNodeOnly(s) || isElectron(s), why: 'shared/ runs in the renderer as well' },
  { name: 'renderer imports no Node or Electron', folders: ['renderer'], forbids: (s) => isNodeOnly(s) || isElectron(s), why: 'the renderer is sandboxed: it reaches the core only through the contract' },
  { name: 'shared imports nothing of ours outside shared', folders: ['shared'], forbids: (s) => /^(\.\.\/)+(electron|renderer|test)\//.test(s), why: 'shared/ is the bottom layer' },
];

const IMPORT_PATTERNS = [
  /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const pattern of IMPORT_PATTERNS) for (const match of source.matchAll(pattern)) if (match[1] !== undefined) found.push(match[1]);
  return found;
}

export interface LayerViolation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

/** Violations in one file's source, given its path relative to the repository root. */
export function violationsIn(file: string, source: string): LayerViolation[] {
  const rules = LAYER_RULES.filter((r) => r.folders.some((f) => file === f || file.startsWith(`${f}/`)));
  const out: LayerViolation[] = [];
  for (const specifier of importSpecifiers(source)) {
    for (const rule of rules) {
      const resolved = rule.name.startsWith('shared imports nothing') ? relativeToShared(file, specifier) : specifier;
      if (rule.forbids(resolved)) out.push({ file, specifier, rule: rule.name });
    }
  }
  return out;
}

// A relative import from deep inside shared/ is judged by where it lands, not by its text.
function relativeToShared(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const depth = file.split('/').length - 1;
  const landed = join(file, '..', specifier);
  return landed.startsWith('shared') ? specifier : `${'../'.repeat(depth)}${landed}`;
}

export function scanTree(root: string): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const folder of new Set(LAYER_RULES.flatMap((r) => r.folders))) {
    for (const file of walk(join(root, folder))) out.push(...violationsIn(relative(root, file).split('\\').join('/'), readFileSync(file, 'utf8')));
  }
  return out;
}

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name)) yield full;
  }
}
