// `npm run bench [name…]`: runs each benchmark in test/bench/ (every *.bench.ts, or the named
// ones) in its own process, one after the other, so that they do not disturb each other's
// timings or memory figures. Benchmarks print their own tables and write their own sections of
// RESULTS.md; this adds how long each took. They are not tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadText, markdownTable, writeResultsSection } from './results';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length === 0 ? all : all.filter((f) => wanted.some((w) => f === w || f === `${w}.bench.ts`));
if (chosen.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Available: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(64);
}
const started = new Date();
const rows: string[][] = [];
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file} (load average ${loadText()})`);
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  const seconds = (performance.now() - t0) / 1000;
  if (result.status !== 0) failed += 1;
  rows.push([file.replace('.bench.ts', ''), result.status === 0 ? 'ok' : `FAILED (exit ${String(result.status ?? result.signal)})`, `${(seconds / 60).toFixed(1)} min`, loadText()]);
}
const total = (Date.now() - started.getTime()) / 60_000;
console.log(`\n${rows.map((r) => r.join('  ')).join('\n')}\ntotal ${total.toFixed(1)} min`);
// Only a full run says how long `npm run bench` takes.
if (wanted.length === 0) {
  writeResultsSection(
    'run',
    `## The run\n\n\`npm run bench\` started ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC and took ${total.toFixed(1)} min.\n\n${markdownTable({ headers: ['benchmark', 'result', 'took', 'load average after'], rows })}`,
  );
}
process.exit(failed === 0 ? 0 : 1);
