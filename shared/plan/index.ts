// The installation plan: its schema, the pure parser that validates it with located problems,
// and the helpers the runner and the UI use on a validated plan. Pure: runs in Node and in the
// renderer alike.
export { parsePlan, type ParsePlanOptions, type PlanParseResult } from './parsePlan';
export { PLAN_PROBLEM_CODES, formatPlanProblem, sortPlanProblems, type PlanProblem, type PlanProblemCode, type PlanProblemSeverity } from './problems';
export { PLAN_LIMITS, type PlanLimits } from './limits';
export { PlanSchema, PLAN_API_VERSION, PLAN_KIND, type Plan, type PlanInput } from './schema/planSchema';
export { HOST_KEY_TYPES, HostSchema, type HostKeyType, type PlanHost } from './schema/hosts';
export { BaselineCheckSchema, VerifyCheckSchema, CHECK_TYPES, type BaselineCheck, type VerifyCheck, type CheckType } from './schema/checks';
export { StepSchema, type PlanStep, type StepManual, type StepRollback, type StepUpload } from './schema/steps';
export type {
  PlanArtifact,
  PlanChecklistItem,
  PlanContact,
  PlanHandover,
  PlanMetadata,
  PlanOutage,
  PlanSignOff,
  PlanVariable,
} from './schema/sections';
export { selectHosts, stepOrder } from './planGraph';
export { actionOf, type PlanAction } from './actions';
export { parseDuration, tryParseDuration } from './duration';
export { parseByteSize, tryParseByteSize } from './byteSize';
export { parseVersionConstraint, tryParseVersionConstraint, type VersionOperator, type VersionRequirement } from './versionConstraint';
export { parseTimestamp, zoneOffsetMinutes } from './timestamps';
export { findVariableRefs, type VariableRef } from './variables';
export { formatPlanPath, parsePlanPath, type PlanPath, type PlanPathSegment } from './path';
export type { SourcePosition } from './draft';
export { buildPlanJsonSchema, planJsonSchemaText, PLAN_SCHEMA_ID } from './jsonSchema';
