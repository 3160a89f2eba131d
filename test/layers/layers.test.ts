import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanTree, violationsIn } from './layerRules';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('layer rules of STYLE.md', () => {
  it('hold across the whole tree', () => {
    expect(scanTree(repoRoot)).toEqual([]);
  });

  // The checker itself must catch each kind of break, or the test above proves nothing.
  it.each([
    ['electron/core/store/x.ts', "import { app } from 'electron';", 'core knows no Electron'],
    ['electron/host/server.ts', "const { ipcMain } = require('electron');", 'core knows no Electron'],
    ['shared/plan/parse.ts', "import { readFileSync } from 'node:fs';", 'shared imports no Node or Electron'],
    ['shared/plan/parse.ts', "import path from 'path';", 'shared imports no Node or Electron'],
    ['shared/contract/x.ts', "export { x } from 'better-sqlite3';", 'shared imports no Node or Electron'],
    ['renderer/pages/Deploy.tsx', "import { Client } from 'ssh2';", 'renderer imports no Node or Electron'],
    ['renderer/pages/Deploy.tsx', "const cp = await import('child_process');", 'renderer imports no Node or Electron'],
    ['shared/plan/parse.ts', "import { openStore } from '../../electron/core/store';", 'shared imports nothing of ours outside shared'],
  ])('catches %s importing %s', (file, source, rule) => {
    expect(violationsIn(file, source).map((v) => v.rule)).toContain(rule);
  });

  it.each([
    ['shared/plan/parse.ts', "import { parseDocument } from 'yaml';"],
    ['shared/plan/parse.ts', "import type { AppErrorData } from '../errors';"],
    ['electron/main/index.ts', "import { app } from 'electron';"],
    ['electron/core/store/db.ts', "import Database from 'better-sqlite3';"],
    ['renderer/App.tsx', "import { contract } from '../shared/contract';"],
  ])('allows %s importing %s', (file, source) => {
    expect(violationsIn(file, source)).toEqual([]);
  });
});
