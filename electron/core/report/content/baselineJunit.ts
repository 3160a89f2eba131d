import type { ReportModel } from './reportModel';
import { escapeXml } from './escape';

// baseline.junit.xml for head office's tooling: one testcase per host and check; failures and
// errors as JUnit elements; a waived check as skipped with its reason.

export function renderBaselineJunit(report: ReportModel): string {
  const rows = report.baseline;
  const failures = rows.filter((r) => r.status === 'fail' && r.waived === null).length;
  const errors = rows.filter((r) => r.status === 'error' && r.waived === null).length;
  const skipped = rows.filter((r) => r.waived !== null).length;
  const attr = (v: string | number): string => `"${escapeXml(String(v))}"`;
  const cases = rows.map((r) => {
    const open = `    <testcase classname=${attr(`${report.plan.id}.${r.host}`)} name=${attr(r.checkId)}>`;
    let body = '';
    const detail = escapeXml(`expected: ${r.expected}\nfound: ${r.found}`);
    if (r.waived !== null) body = `\n      <skipped message=${attr(`waived: ${r.waived}`)}/>`;
    else if (r.status === 'fail') body = `\n      <failure message=${attr(r.summary)}>${detail}</failure>`;
    else if (r.status === 'error') body = `\n      <error message=${attr(r.summary)}>${detail}</error>`;
    else if (r.status === 'running') body = `\n      <error message="the check did not finish"/>`;
    return `${open}${body}${body === '' ? '' : '\n    '}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(`baseline ${report.plan.id} ${report.plan.version}`)} tests=${attr(rows.length)} failures=${attr(failures)} errors=${attr(errors)} skipped=${attr(skipped)}>`,
    `  <testsuite name="baseline" tests=${attr(rows.length)} failures=${attr(failures)} errors=${attr(errors)} skipped=${attr(skipped)}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
