import type { ProblemDraft } from '../draft';
import { checkHostSelectors, checkJumpHosts } from './hostReferences';
import { checkOutageWindow } from './outageWindow';
import type { SemanticCheck, SemanticContext } from './raw';
import { checkArtifactReferences, checkContactBackups } from './references';
import { checkStepNeeds } from './stepNeeds';
import { checkUniqueIds } from './uniqueIds';
import { checkVariableUse } from './variableUse';

const CHECKS: readonly SemanticCheck[] = [
  checkUniqueIds,
  checkStepNeeds,
  checkHostSelectors,
  checkJumpHosts,
  checkArtifactReferences,
  checkContactBackups,
  checkOutageWindow,
  checkVariableUse,
];

/** What the plan means, beyond its shape: references resolve, graphs have no cycles, times fit. */
export function semanticProblems(context: SemanticContext): ProblemDraft[] {
  return CHECKS.flatMap((check) => check(context));
}

export type { SemanticContext, Where } from './raw';
