import { attachmentIdOf, baselineKey, instanceKey, isRunEventType, questionIdOf, runEventSchemas, type RecordedEvent, type RunEventPayload, type RunEventType } from './events';
import type { Deviation, HostFacts, OpenQuestion, RollbackInstance, RunState, StepInstance } from './runState';
import { INITIAL_RUN_STATE } from './runState';

// The pure fold of a run's journal into its state: the same code in the core, the UI and a
// fresh process after a crash. An event that does not fit its schema is kept as an anomaly
// rather than thrown, so a run recorded by a buggy or newer app still opens.

type Handler<T extends RunEventType> = (state: RunState, payload: RunEventPayload<T>, event: RecordedEvent) => RunState;
type Handlers = { [T in RunEventType]: Handler<T> };

const emptyHost = (host: string): HostFacts => ({ host, acceptedKeys: [], rejectedKeys: [] });

function withHost(state: RunState, host: string, change: (facts: HostFacts) => HostFacts): RunState {
  return { ...state, hosts: { ...state.hosts, [host]: change(state.hosts[host] ?? emptyHost(host)) } };
}

function withInstance(state: RunState, stepId: string, host: string, change: (instance: StepInstance) => StepInstance): RunState {
  const key = instanceKey(stepId, host);
  const current: StepInstance = state.instances[key] ?? { stepId, host, state: 'pending', attempt: 0 };
  return { ...state, instances: { ...state.instances, [key]: change(current) } };
}

function withRollback(state: RunState, stepId: string, host: string, change: (rollback: RollbackInstance) => RollbackInstance): RunState {
  const key = instanceKey(stepId, host);
  const current: RollbackInstance = state.rollbacks[key] ?? { stepId, host, state: 'pending', attempt: 0 };
  return { ...state, rollbacks: { ...state.rollbacks, [key]: change(current) } };
}

function withDeviation(state: RunState, event: RecordedEvent, deviation: Omit<Deviation, 'seq' | 'timeUtc'>): RunState {
  return { ...state, deviations: [...state.deviations, { ...deviation, seq: event.seq, timeUtc: event.timeUtc }] };
}

function withoutQuestion(instance: StepInstance): StepInstance {
  const { questionId: _dropped, ...rest } = instance;
  return rest;
}

const handlers: Handlers = {
  'run.created': (state, p, event) => ({
    ...state,
    runId: event.runId,
    planHash: p.planHash,
    planId: p.planId,
    planVersion: p.planVersion,
    label: p.label ?? null,
    createdAt: event.timeUtc,
    phase: 'prepare',
  }),
  'run.phase': (state, p, event) => ({
    ...state,
    phase: p.phase,
    phaseChanges: [...state.phaseChanges, { phase: p.phase, seq: event.seq, timeUtc: event.timeUtc }],
  }),
  'run.aborted': (state, p, event) =>
    withDeviation(
      { ...state, phase: 'aborted', abortReason: p.reason, questions: [], phaseChanges: [...state.phaseChanges, { phase: 'aborted', seq: event.seq, timeUtc: event.timeUtc }] },
      event,
      { kind: 'abort', subject: 'run', text: p.reason },
    ),
  'checklist.ticked': (state, p, event) => ({
    ...state,
    checklist: { ...state.checklist, [p.itemId]: { itemId: p.itemId, note: p.note ?? '', seq: event.seq, timeUtc: event.timeUtc } },
  }),
  'secret.provided': (state, p) => (state.secretsProvided.includes(p.name) ? state : { ...state, secretsProvided: [...state.secretsProvided, p.name] }),
  'host.connected': (state, p, event) =>
    withHost(state, p.host, (h) => ({ ...h, connected: { keyType: p.keyType, fingerprint: p.fingerprint, hostKeyVerdict: p.hostKeyVerdict, seq: event.seq } })),
  'host.keyOverridden': (state, p, event) =>
    withDeviation(
      withHost(state, p.host, (h) => ({ ...h, keyOverride: { fingerprint: p.fingerprint, reason: p.reason, seq: event.seq } })),
      event,
      { kind: 'host-key-override', subject: p.host, text: `host key changed; ${p.fingerprint} accepted: ${p.reason}` },
    ),
  'host.connectFailed': (state, p, event) => withHost(state, p.host, (h) => ({ ...h, lastError: { code: p.code, message: p.message, seq: event.seq } })),
  'host.clock': (state, p, event) =>
    withHost(state, p.host, (h) => ({ ...h, clock: { hostEpochS: p.hostEpochS, laptopEpochS: p.laptopEpochS, skewS: p.skewS, flagged: p.flagged, seq: event.seq } })),
  'baseline.started': (state, p, event) => {
    const key = baselineKey(p.checkId, p.host);
    const previous = state.baseline[key];
    // A rerun replaces the verdict and drops an earlier waiver: it waived a result that is gone.
    return { ...state, baseline: { ...state.baseline, [key]: { checkId: p.checkId, host: p.host, status: 'running', runs: (previous?.runs ?? 0) + 1, seq: event.seq, startedAt: event.timeUtc } } };
  },
  'baseline.result': (state, p, event) => {
    const key = baselineKey(p.checkId, p.host);
    const { checkId, host, status, expected, found, summary, command, exitCode, stdoutExcerpt, stderrExcerpt } = p;
    const runs = state.baseline[key]?.runs ?? 1;
    const startedAt = state.baseline[key]?.startedAt;
    return {
      ...state,
      baseline: {
        ...state.baseline,
        [key]: { checkId, host, status, expected, found, summary, command, exitCode, stdoutExcerpt, stderrExcerpt, runs, seq: event.seq, ...(startedAt === undefined ? {} : { startedAt }), endedAt: event.timeUtc },
      },
    };
  },
  'baseline.waived': (state, p, event) => {
    const key = baselineKey(p.checkId, p.host);
    const cell = state.baseline[key];
    if (cell === undefined) return withAnomaly(state, event, `waiver for ${key}, which has no result`);
    const next = { ...state, baseline: { ...state.baseline, [key]: { ...cell, waiver: { reason: p.reason, seq: event.seq } } } };
    return withDeviation(next, event, { kind: 'waiver', subject: key, text: p.reason });
  },
  'step.started': (state, p, event) =>
    withInstance(state, p.stepId, p.host, (i) => {
      const { outcome: _o, output: _out, endedSeq: _e, endedAt: _ea, questionId: _q, confirmed: _c, note: _n, ...rest } = i;
      return { ...rest, state: 'running', attempt: p.attempt, action: p.action, execId: p.execId, ...(p.streams === undefined ? {} : { streams: p.streams }), startedSeq: event.seq, startedAt: event.timeUtc };
    }),
  'step.ended': (state, p, event) =>
    withInstance(state, p.stepId, p.host, (i) => ({
      ...i,
      state: p.outcome.kind === 'unknown' ? 'unknown' : (p.outcome.kind === 'exited' && p.outcome.code === 0) || p.outcome.kind === 'done' ? 'succeeded' : 'failed',
      outcome: p.outcome,
      ...(p.output === undefined ? {} : { output: p.output }),
      endedSeq: event.seq,
      endedAt: event.timeUtc,
    })),
  'step.verified': (state, p) =>
    withInstance(state, p.stepId, p.host, (i) => ({ ...i, verified: { status: p.status, summary: p.summary }, state: p.status === 'pass' ? 'succeeded' : i.state })),
  'rollback.started': (state, p, event) =>
    withRollback(state, p.stepId, p.host, (r) => {
      const { outcome: _o, endedSeq: _e, endedAt: _ea, questionId: _q, ...rest } = r;
      return { ...rest, state: 'running', attempt: p.attempt, action: p.action, execId: p.execId, ...(p.streams === undefined ? {} : { streams: p.streams }), startedSeq: event.seq, startedAt: event.timeUtc };
    }),
  'rollback.ended': (state, p, event) =>
    withRollback(state, p.stepId, p.host, (r) => ({
      ...r,
      state: (p.outcome.kind === 'exited' && p.outcome.code === 0) || p.outcome.kind === 'done' ? 'succeeded' : 'failed',
      outcome: p.outcome,
      endedSeq: event.seq,
      endedAt: event.timeUtc,
    })),
  'adhoc.started': (state, p, event) =>
    withDeviation(
      { ...state, adhoc: [...state.adhoc, { adhocId: p.adhocId, host: p.host, command: p.command, reason: p.reason, execId: p.execId, streams: p.streams, state: 'running', startedSeq: event.seq }] },
      event,
      { kind: 'adhoc', subject: p.host, text: `${p.command} (${p.reason})` },
    ),
  'adhoc.ended': (state, p, event) => ({
    ...state,
    adhoc: state.adhoc.map((a) => (a.adhocId === p.adhocId ? { ...a, state: 'ended', outcome: p.outcome, endedSeq: event.seq } : a)),
  }),
  'host.excluded': (state, p, event) =>
    withDeviation(
      withHost(state, p.host, (h) => ({ ...h, excluded: { reason: p.reason, seq: event.seq } })),
      event,
      { kind: 'exclude-host', subject: p.host, text: p.reason },
    ),
  'flags.acknowledged': (state, p) => ({ ...state, acknowledgedFlags: [...new Set([...state.acknowledgedFlags, ...p.flagIds])] }),
  'step.edited': (state, p, event) =>
    withDeviation({ ...state, stepEdits: { ...state.stepEdits, [p.stepId]: { run: p.run, reason: p.reason, seq: event.seq } } }, event, {
      kind: 'step-edit',
      subject: p.stepId,
      text: p.reason,
    }),
  'step.skipped': (state, p, event) =>
    withDeviation(
      withInstance(state, p.stepId, p.host, (i) => ({ ...withoutQuestion(i), state: 'skipped', skipReason: p.reason })),
      event,
      { kind: 'skip', subject: instanceKey(p.stepId, p.host), text: p.reason },
    ),
  'handover.ticked': (state, p, event) => ({
    ...state,
    handover: { ...state.handover, [p.itemId]: { itemId: p.itemId, note: p.note ?? '', seq: event.seq, timeUtc: event.timeUtc } },
  }),
  'handover.signedOff': (state, p, event) => ({
    ...state,
    signOffs: {
      ...state.signOffs,
      [p.role]: { role: p.role, name: p.name, ...(p.title === undefined ? {} : { title: p.title }), ...(p.signature === undefined ? {} : { signature: p.signature }), seq: event.seq, timeUtc: event.timeUtc },
    },
  }),
  'report.exported': (state, p, event) => ({ ...state, exports: [...state.exports, { ...p, seq: event.seq, timeUtc: event.timeUtc }] }),
  'attachment.added': (state, p, event) => ({
    ...state,
    attachments: [
      ...state.attachments,
      { id: attachmentIdOf(event.seq), target: p.target, name: p.name, mediaType: p.mediaType, size: p.size, sha256: p.sha256, caption: p.caption ?? null, seq: event.seq, timeUtc: event.timeUtc },
    ],
  }),
  'question.asked': (state, p, event) => {
    const question: OpenQuestion = { ...p, id: questionIdOf(event.seq), seq: event.seq, timeUtc: event.timeUtc };
    const next = { ...state, questions: [...state.questions, question] };
    if (p.kind === 'host-key') return next;
    if ((p.kind === 'manual' || p.kind === 'failure') && p.during === 'rollback') {
      return withRollback(next, p.stepId, p.host, (r) => ({ ...r, questionId: question.id, state: p.kind === 'manual' ? 'waiting' : r.state }));
    }
    return withInstance(next, p.stepId, p.host, (i) => ({
      ...i,
      questionId: question.id,
      state: p.kind === 'manual' || p.kind === 'confirm' ? 'waiting' : i.state,
    }));
  },
  'question.answered': (state, p, event) => {
    const question = state.questions.find((q) => q.id === p.questionId);
    if (question === undefined) return withAnomaly(state, event, `answer to ${p.questionId}, which is not open`);
    if (question.kind !== p.answer.kind) return withAnomaly(state, event, `a ${p.answer.kind} answer to a ${question.kind} question`);
    const closed: RunState = {
      ...state,
      questions: state.questions.filter((q) => q !== question),
      answered: [...state.answered, { id: question.id, kind: question.kind, answer: p.answer, seq: event.seq }],
    };
    return applyAnswer(closed, question, p.answer, event);
  },
};

function applyAnswer(state: RunState, question: OpenQuestion, answer: RunEventPayload<'question.answered'>['answer'], event: RecordedEvent): RunState {
  if (question.kind === 'host-key' && answer.kind === 'host-key') {
    const next = withHost(state, question.host, (h) =>
      answer.decision === 'accept' ? { ...h, acceptedKeys: [...h.acceptedKeys, question.fingerprint] } : { ...h, rejectedKeys: [...h.rejectedKeys, question.fingerprint] },
    );
    return answer.decision === 'accept'
      ? withDeviation(next, event, { kind: 'host-key-accepted', subject: question.host, text: `${question.keyType} ${question.fingerprint} confirmed by the technician` })
      : next;
  }
  if (question.kind === 'host-key') return state;
  if ((question.kind === 'manual' || question.kind === 'failure') && question.during === 'rollback') return applyRollbackAnswer(state, question, answer, event);
  const { stepId, host } = question;
  const subject = instanceKey(stepId, host);
  const update = (change: (i: StepInstance) => StepInstance): RunState => withInstance(state, stepId, host, (i) => change(withoutQuestion(i)));
  switch (answer.kind) {
    case 'manual':
      return update((i) => ({ ...i, state: 'succeeded', outcome: { kind: 'done', note: answer.note }, note: answer.note, endedSeq: event.seq }));
    case 'confirm':
      if (answer.confirmed) return update((i) => ({ ...i, state: 'succeeded', confirmed: true, note: answer.note }));
      return withDeviation(
        update((i) => ({ ...i, state: 'failed', confirmed: false, note: answer.note })),
        event,
        { kind: 'confirm-denied', subject, text: answer.note === '' ? 'the technician answered no' : answer.note },
      );
    case 'failure':
    case 'unknown':
      if (answer.decision === 'retry') return update((i) => ({ ...i, state: 'pending' }));
      if (answer.decision === 'skip') {
        const reason = answer.reason ?? '';
        return withDeviation(update((i) => ({ ...i, state: 'skipped', skipReason: reason })), event, { kind: 'skip', subject, text: reason });
      }
      if (answer.decision === 'mark-done') {
        const note = answer.note ?? '';
        return withDeviation(
          update((i) => ({ ...i, state: 'succeeded', outcome: { kind: 'done', note }, note })),
          event,
          { kind: 'mark-done', subject, text: note },
        );
      }
      if (answer.decision === 'rollback') {
        return withDeviation(update((i) => i), event, { kind: 'rollback', subject, text: answer.kind === 'failure' ? (answer.reason ?? 'rolled back') : (answer.note ?? 'rolled back') });
      }
      // abort: the runner records run.aborted right after; the instance keeps its outcome.
      return update((i) => i);
    default:
      return state;
  }
}

function applyRollbackAnswer(state: RunState, question: OpenQuestion & { stepId: string; host: string }, answer: RunEventPayload<'question.answered'>['answer'], event: RecordedEvent): RunState {
  const subject = `rollback of ${instanceKey(question.stepId, question.host)}`;
  const update = (change: (r: RollbackInstance) => RollbackInstance): RunState =>
    withRollback(state, question.stepId, question.host, (r) => {
      const { questionId: _q, ...rest } = r;
      return change(rest);
    });
  if (answer.kind === 'manual') return update((r) => ({ ...r, state: 'succeeded', outcome: { kind: 'done', note: answer.note }, endedSeq: event.seq }));
  if (answer.kind !== 'failure') return state;
  if (answer.decision === 'retry') return update((r) => ({ ...r, state: 'pending' }));
  if (answer.decision === 'skip') {
    const reason = answer.reason ?? '';
    return withDeviation(update((r) => ({ ...r, state: 'skipped', skipReason: reason })), event, { kind: 'skip', subject, text: reason });
  }
  return update((r) => r);
}

function withAnomaly(state: RunState, event: RecordedEvent, problem: string): RunState {
  return { ...state, anomalies: [...state.anomalies, { seq: event.seq, type: event.type, problem }] };
}

/** Applies one event; every event moves the head. */
export function reduceRun(state: RunState, event: RecordedEvent): RunState {
  let next: RunState;
  if (!isRunEventType(event.type)) {
    next = { ...state, unhandled: { ...state.unhandled, [event.type]: (state.unhandled[event.type] ?? 0) + 1 } };
  } else {
    const parsed = runEventSchemas[event.type].safeParse(event.payload);
    if (!parsed.success) next = withAnomaly(state, event, parsed.error.issues[0]?.message ?? 'bad payload');
    else next = (handlers[event.type] as Handler<RunEventType>)(state, parsed.data, event);
  }
  return { ...next, headSeq: event.seq, headHash: event.hash };
}

export function foldRun(events: Iterable<RecordedEvent>, initial: RunState = INITIAL_RUN_STATE): RunState {
  let state = initial;
  for (const event of events) state = reduceRun(state, event);
  return state;
}
