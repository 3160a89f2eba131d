import type { Runner } from '../../runner/runner';
import type { Handlers } from '../dispatch';

type RunMethod =
  | 'runs.create'
  | 'runs.list'
  | 'runs.get'
  | 'runs.checklist.tick'
  | 'runs.baseline.run'
  | 'runs.baseline.waive'
  | 'runs.deploy.start'
  | 'runs.answer'
  | 'runs.abort'
  | 'runs.hosts.overrideKey'
  | 'runs.flags.get'
  | 'runs.flags.acknowledge'
  | 'runs.steps.edit'
  | 'runs.hosts.exclusionPreview'
  | 'runs.adhoc.run'
  | 'runs.secrets.provide'
  | 'runs.output.read';

export function runHandlers(runner: Runner): Pick<Handlers, RunMethod> {
  return {
    'runs.create': ({ planHash, label }) => runner.create(planHash, label),
    'runs.list': () => ({ runs: runner.list().map(({ phase, ...rest }) => ({ ...rest, ...(phase === undefined ? {} : { phase }) })) }),
    'runs.get': ({ runId }) => runner.get(runId),
    'runs.checklist.tick': ({ runId, expectSeq, itemId, note }) => ({ seq: runner.tick(runId, expectSeq, itemId, note) }),
    'runs.baseline.run': ({ runId, expectSeq, only }) => ({
      seq: runner.runBaseline(runId, expectSeq, {
        ...(only?.checkId === undefined ? {} : { checkId: only.checkId }),
        ...(only?.host === undefined ? {} : { host: only.host }),
        ...(only?.failed === undefined ? {} : { failed: only.failed }),
      }),
    }),
    'runs.baseline.waive': ({ runId, expectSeq, checkId, host, reason }) => ({ seq: runner.waive(runId, expectSeq, checkId, host, reason) }),
    'runs.deploy.start': ({ runId, expectSeq }) => ({ seq: runner.startDeployment(runId, expectSeq) }),
    'runs.answer': ({ runId, expectSeq, questionId, answer }) => ({ seq: runner.answer(runId, expectSeq, questionId, answer) }),
    'runs.abort': ({ runId, expectSeq, reason }) => ({ seq: runner.abort(runId, expectSeq, reason) }),
    'runs.hosts.overrideKey': ({ runId, expectSeq, host, fingerprint, reason }) => ({ seq: runner.overrideHostKey(runId, expectSeq, host, fingerprint, reason) }),
    'runs.flags.get': ({ runId }) => runner.flags(runId),
    'runs.flags.acknowledge': ({ runId, expectSeq, flagIds, note }) => ({ seq: runner.acknowledgeFlags(runId, expectSeq, flagIds, note) }),
    'runs.steps.edit': ({ runId, expectSeq, stepId, run, reason }) => ({ seq: runner.editStep(runId, expectSeq, stepId, run, reason) }),
    'runs.hosts.exclusionPreview': ({ runId, host }) => runner.exclusionPreview(runId, host),
    'runs.adhoc.run': ({ runId, expectSeq, host, command, reason }) => ({ seq: runner.runAdhoc(runId, expectSeq, host, command, reason) }),
    'runs.secrets.provide': ({ runId, values }) => ({ seq: runner.provideSecrets(runId, values) }),
    'runs.output.read': ({ runId, stream, offset, length }) => {
      const data = runner.readOutput(runId, stream, offset, length);
      return { data: data.toString('base64'), length: data.length };
    },
  };
}
