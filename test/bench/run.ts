// `npm run bench [name…]`: runs each benchmark in test/bench/ (every *.bench.ts, or the named
// ones) in its own process, one after the other, so that they do not disturb each other's
// timings or memory figures. Benchmarks print their own tables; they are not tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length === 0 ? all : all.filter((f) => wanted.some((w) => f === w || f === `${w}.bench.ts`));
if (chosen.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Available: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(64);
}
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
