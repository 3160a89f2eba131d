// Prints the closing line CI reads: `N passed, N failed` over every suite's JSON report.
// Stages without a count of their own (type check, lint) count as one test each.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const failedStages = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const dir = 'test-results';
for (const name of existsSync(dir) ? readdirSync(dir) : []) {
  if (!name.endsWith('.json')) continue;
  const report = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'));
  if (typeof report.numPassedTests === 'number') {
    // vitest (jest-compatible JSON)
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
  } else if (report.stats && typeof report.stats.expected === 'number') {
    // Playwright
    passed += report.stats.expected;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped ?? 0;
  }
}
for (const stage of ['typecheck', 'lint']) {
  if (failedStages.includes(stage)) failed += 1;
  else passed += 1;
}
for (const runner of ['vitest', 'playwright']) if (failedStages.includes(runner) && failed === 0) failed += 1; // failed before reporting
if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failedStages.length > 0 ? 1 : 0);
