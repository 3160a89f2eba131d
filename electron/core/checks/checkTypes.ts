import type { CheckType } from '../../../shared/plan';
import { maskedValues, type VariableValues } from '../runner/substituteVariables';
import type { CheckModule } from './checkModule';
import { commandCheck } from './commandCheck';
import { diskFreeCheck } from './diskFreeCheck';
import { fileCheck } from './fileCheck';
import { httpCheck } from './httpCheck';
import { memoryCheck } from './memoryCheck';
import { osCheck } from './osCheck';
import { packageCheck } from './packageCheck';
import { portCheck } from './portCheck';
import { processCheck } from './processCheck';
import { serviceCheck } from './serviceCheck';
import type { Check, CheckOutput, CheckVerdict, CompiledCheck } from './types';

export const CHECK_MODULES: { readonly [T in CheckType]: CheckModule<T> } = {
  command: commandCheck,
  file: fileCheck,
  port: portCheck,
  service: serviceCheck,
  package: packageCheck,
  process: processCheck,
  http: httpCheck,
  'disk-free': diskFreeCheck,
  memory: memoryCheck,
  os: osCheck,
};

// TypeScript cannot follow the correlation between check.type and its module through an
// indexed access, so the lookup widens the module to the check at hand once, here.
function moduleFor(check: Check): CheckModule<CheckType> {
  return CHECK_MODULES[check.type] as unknown as CheckModule<CheckType>;
}

/** The script for a check, its variables resolved (throws VARIABLE_MISSING / VARIABLE_INVALID). */
export function compileCheck(check: Check, vars: VariableValues): CompiledCheck {
  return moduleFor(check).compile(check, vars);
}

/** The script as a dry run shows it: variables resolved, secrets as ***. */
export function previewCheck(check: Check, vars: VariableValues): string {
  return compileCheck(check, maskedValues(vars)).command;
}

/** Pure: the verdict on a resolved check's output (see resolveCheck). */
export function judgeCheck(check: Check, output: CheckOutput): CheckVerdict {
  return moduleFor(check).judge(check, output);
}

export function expectedOf(check: Check): string {
  return moduleFor(check).expected(check);
}

/** The part of stdout kept as evidence (all of it for most types). */
export function evidenceOf(check: Check, stdout: string): string {
  const module = moduleFor(check);
  return module.evidence === undefined ? stdout : module.evidence(check, stdout);
}
