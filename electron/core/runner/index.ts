// The run engine: checklist, baseline, deployment DAG and resume, all as events in the run's journal.
export { createRunner, type Runner, type RunnerOptions, type RunSummary } from './runner';
export { CLOCK_SKEW_LIMIT_S, type BaselineSelection } from './runBaseline';
export { execIdOf } from './stepCommand';
export { dryRun, type DryRunAction, type DryRunInstance } from './dryRun';
export { yellowFlags, type YellowFlag, type YellowFlagKind } from './yellowFlags';
