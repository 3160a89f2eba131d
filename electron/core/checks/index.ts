// Typed checks: each type compiles to a POSIX sh script run on the host with LC_ALL=C and is
// judged by a pure function of its output as pass, fail or error (could not check).
export type { Check, CheckOf, CheckOutput, CheckStatus, CheckVerdict, CompiledCheck } from './types';
export type { CheckModule } from './checkModule';
export { CHECK_MODULES, compileCheck, judgeCheck, previewCheck, expectedOf, evidenceOf } from './checkTypes';
export { resolveCheck, type ResolvedCheck } from './resolveCheck';
export { runCheck, CHECK_SHELL, SUDO_CHECK_SHELL, type CheckConnection, type CheckRun, type RunCheckOptions } from './runCheck';
export {
  compareDpkgVersions,
  compareRpmVersions,
  compareRpmEvr,
  compareVersions,
  meetsRequirements,
  parseDpkgVersion,
  parseRpmEvr,
  type VersionOrdering,
} from './versionCompare';
