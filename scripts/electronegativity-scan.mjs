#!/usr/bin/env node
// Runs @doyensec/electronegativity over electron/ (offline) and fails on any finding of medium
// or high severity. Usage: node scripts/electronegativity-scan.mjs [--input electron/] [--report FILE.sarif]
// Every `eng-disable` suppression in electron/ must have a comment giving its reason on the line
// above (checked here too).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { input: { type: 'string', default: 'electron' }, report: { type: 'string' } } });
const input = values.input;
const report = values.report ?? join(mkdtempSync(join(tmpdir(), 'electronegativity-')), 'report.sarif');
const electronVersion = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
execFileSync('npx', ['electronegativity', '-i', input, '-o', report, '-r', '-s', 'medium', '-e', electronVersion], { stdio: ['ignore', 'ignore', 'inherit'] });

// `-s medium` filters the per-file checks but not the global CSP check, whose SARIF entries carry
// no severity: by electronegativity's own source (CSPGlobalCheck.js) only "no CSP at all" is
// medium; a CSP that csp-evaluator calls maybe weak (here: script-src 'self', "problematic if you
// host JSONP, Angular or user uploads", none of which we do) is low.
const locale = JSON.parse(readFileSync('node_modules/@doyensec/electronegativity/dist/locales/en-US.json', 'utf8'));
const mediumOrHigh = (f) => f.ruleId !== 'CSP_GLOBAL_CHECK' || f.message?.text === locale.CSP_GLOBAL_CHECK_NO_CSP;
const findings = JSON.parse(readFileSync(report, 'utf8')).runs.flatMap((run) => run.results).filter(mediumOrHigh);
for (const f of findings) {
  const where = f.locations?.[0]?.physicalLocation;
  console.log(`${f.ruleId} ${input}/${where?.artifactLocation?.uri}:${where?.region?.startLine} ${f.message?.text}`);
}

const unexplained = [];
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : /\.(ts|tsx|js|html)$/.test(name) ? [join(dir, name)] : []));
for (const file of walk(input)) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (/eng-disable/.test(line) && !/^\s*\/\/\s*\S/.test(lines[i - 1] ?? '')) unexplained.push(`${file}:${i + 1}`);
  });
}
for (const u of unexplained) console.log(`suppression without a written reason above it: ${u}`);

console.log(`electronegativity: ${findings.length} medium/high finding(s), ${unexplained.length} unexplained suppression(s); report in ${report}`);
process.exitCode = findings.length === 0 && unexplained.length === 0 ? 0 : 1;
