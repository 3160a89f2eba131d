import { AppError } from '../../../shared/errors';
import type { HostKeyPolicy } from '../ssh/connection';
import type { RunRecorder } from './runJournalWriter';

/**
 * Host keys as questions: a key that is neither pinned nor confirmed becomes a journaled
 * question and the connection fails with SSH_HOST_KEY_UNKNOWN; once the technician accepts that
 * fingerprint (an answer in the journal), the next connection goes through. Nothing waits in
 * memory, so a reload or a second window sees the same question.
 */
export function runHostKeyPolicy(recorder: RunRecorder): HostKeyPolicy {
  return {
    known: () => [],
    // A pinned key that changed is overridden only by the fingerprint typed in from the client;
    // the connection layer still requires it to equal the presented one.
    override(host) {
      const override = recorder.state.hosts[host.name]?.keyOverride;
      return override === undefined ? undefined : { newFingerprint: override.fingerprint, reason: override.reason };
    },
    async decideUnknown(host, presented) {
      const facts = recorder.state.hosts[host.name];
      if (facts?.acceptedKeys.includes(presented.fingerprint) === true) return 'accept-once';
      if (facts?.rejectedKeys.includes(presented.fingerprint) === true) {
        throw new AppError('SSH_HOST_KEY_REJECTED', `The technician rejected the host key ${presented.fingerprint} of ${host.name}. Check the fingerprint with the client before connecting again.`, {
          host: host.name,
          fingerprint: presented.fingerprint,
        });
      }
      const open = recorder.state.questions.some((q) => q.kind === 'host-key' && q.host === host.name && q.fingerprint === presented.fingerprint);
      if (!open) {
        recorder.record([
          { type: 'question.asked', payload: { kind: 'host-key', host: host.name, keyType: presented.type, fingerprint: presented.fingerprint, publicKey: presented.publicKey } },
        ]);
      }
      throw new AppError(
        'SSH_HOST_KEY_UNKNOWN',
        `${host.name} presented a host key the plan does not pin (${presented.type} ${presented.fingerprint}). Compare it with the fingerprint the client reads out, answer the question, then run again.`,
        { host: host.name, fingerprint: presented.fingerprint },
      );
    },
  };
}
