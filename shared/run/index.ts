// A run's journal events and the pure fold of them into the run's state (core and UI alike).
export * from './events';
export * from './runState';
export { foldRun, reduceRun } from './foldRun';
export { blockingQuestion, instancesIn, unwaivedBaselineFailures } from './runQueries';
export { POINT_OF_NO_RETURN_WARNING_MS, timeStatus, type TimeStatus } from './timeStatus';
export * from './handoverEvents';
export { boxScore, type BoxScore } from './boxScore';
