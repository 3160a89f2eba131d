import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownTable, ratioText, spreadOf, spreadText, writeResultsSection } from './results';

// RESULTS.md is what the project's speed claims cite: each benchmark's section must replace its
// own previous one and leave the others alone, and the tables must be valid markdown.

const dir = mkdtempSync(join(tmpdir(), 'fieldrun-bench-harness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RESULTS.md', () => {
  it('keeps one section per benchmark, replacing only the one that ran again, under the machine header', () => {
    const path = join(dir, 'RESULTS.md');
    writeResultsSection('baseline', '## Baseline\n\nfirst numbers', path);
    writeResultsSection('output', '## Output\n\n1 GiB', path);
    writeResultsSection('baseline', '## Baseline\n\nsecond numbers', path);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# Benchmark results/);
    expect(text).toMatch(/## Machine\n\n- CPU: .+, \d+ cores; RAM/);
    expect(text).toContain('second numbers');
    expect(text).not.toContain('first numbers');
    expect(text.match(/<!-- bench:baseline -->/g)).toHaveLength(1);
    // Sections keep a fixed order (baseline before output), whichever ran last; the other is untouched.
    writeResultsSection('output', '## Output\n\n1 GiB', path);
    expect(readFileSync(path, 'utf8').indexOf('## Baseline')).toBeLessThan(readFileSync(path, 'utf8').indexOf('## Output'));
    expect(text).toContain('<!-- bench:output -->\n## Output\n\n1 GiB\n<!-- /bench:output -->');
  });

  it('writes tables with an alignment row and escaped pipes, and median, spread and ratio as read', () => {
    const table = markdownTable({ headers: ['variant', 'wall s'], rows: [['ssh | loop', '1.50']] });
    expect(table.split('\n')).toEqual(['| variant | wall s |', '| --- | ---: |', '| ssh \\| loop | 1.50 |']);
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spreadText([0.5, 2, 1.25])).toBe('0.500–2.00');
    expect(ratioText([30, 40, 50], [1, 2, 3])).toBe('20.0×');
  });
});
