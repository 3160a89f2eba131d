// Tables of measured figures (median, spread, ratio to Fieldrun) printed on the console and kept
// in test/bench/RESULTS.md: one section per benchmark, replaced when that benchmark runs again,
// under a header describing the machine. Not a benchmark itself.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

export const RESULTS_PATH = join(import.meta.dirname, 'RESULTS.md');

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** A number with about three significant digits. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

export const medianText = (values: readonly number[]): string => num(spreadOf(values).median);
export function spreadText(values: readonly number[]): string {
  const s = spreadOf(values);
  return values.length === 0 ? '–' : `${num(s.min)}–${num(s.max)}`;
}
/** How many times the peer's figure is Fieldrun's (for times: >1 means Fieldrun is faster). */
export const ratioText = (peer: readonly number[], fieldrun: readonly number[]): string => {
  const r = spreadOf(peer).median / spreadOf(fieldrun).median;
  return Number.isFinite(r) ? `${num(r)}×` : '–';
};

export interface Table {
  headers: string[];
  rows: string[][];
}

export function textTable(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(table.headers), ...table.rows.map(line)].join('\n');
}

export function markdownTable(table: Table): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`;
  return [line(table.headers), `|${table.headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...table.rows.map(line)].join('\n');
}

export function loadText(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function machineDescription(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let os = 'Linux';
  try {
    os = /PRETTY_NAME="([^"]*)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // Not every system has os-release; the kernel line below still says what ran.
  }
  let sqlite = '';
  try {
    sqlite = execFileSync(process.execPath, ['-e', "const D=require('better-sqlite3');process.stdout.write(new D(':memory:').prepare('select sqlite_version()').pluck().get())"], { cwd: join(import.meta.dirname, '../..') }).toString();
  } catch {
    sqlite = '?';
  }
  return [
    `- CPU: ${cpu}, ${cpus().length} cores; RAM ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os}, kernel ${release()}`,
    `- Node ${process.version}, SQLite ${sqlite}`,
  ].join('\n');
}

const HEADER_END = '<!-- sections below are replaced by each benchmark -->';
/** Sections in this order, whichever ran last; others after them by name. */
const ORDER = ['run', 'notes', 'baseline', 'deploy', 'output', 'report', 'ui', 'ssh', 'store'];

/**
 * Replaces (or adds) the section of one benchmark in RESULTS.md and refreshes the machine header.
 * Sections of other benchmarks stay as they were, each with its own date and load.
 */
export function writeResultsSection(bench: string, markdown: string, path = RESULTS_PATH): void {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const sections = new Map<string, string>();
  for (const match of old.matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)) sections.set(match[1]!, match[2]!);
  sections.set(bench, markdown.trim());
  const rank = (name: string): number => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  const names = [...sections.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const header = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (test/bench/*.bench.ts): each section comes from one run of its benchmark',
    'and says when it ran and how loaded the machine was. Every figure is the median of several runs,',
    'with the spread (min–max); ratios compare the peer with Fieldrun measured in the same run.',
    '',
    '## Machine',
    '',
    machineDescription(),
    '',
    HEADER_END,
  ].join('\n');
  writeFileSync(path, `${header}\n\n${names.map((name) => `<!-- bench:${name} -->\n${sections.get(name)!}\n<!-- /bench:${name} -->`).join('\n\n')}\n`);
}

/** The opening lines of a benchmark's section: title, date, load, what was measured. */
export function sectionHead(title: string, loadBefore: string, what: string): string {
  return `## ${title}\n\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; load average (1/5/15 min) before: ${loadBefore}, after: ${loadText()}.\n\n${what}`;
}
