// What the plan needs from the technician before deployment, and what the run asks about keys:
// values without a default (secrets above all), sudo passwords per host, and open host-key
// questions with what the plan expected.
import type { Plan } from '../../../shared/plan';
import { selectHosts } from '../../../shared/plan';
import type { OpenQuestion, RunState } from '../../../shared/run';
import { currentHostError } from '../overview/hostFacts';

export interface NeededValue {
  /** The name runs.secrets.provide takes: a variable's name or `sudo@<host>`. */
  readonly name: string;
  readonly kind: 'variable' | 'sudo';
  readonly secret: boolean;
  readonly prompt: string | undefined;
  readonly host: string | undefined;
}

export function neededValues(plan: Plan): NeededValue[] {
  const variables: NeededValue[] = Object.entries(plan.variables)
    .filter(([, v]) => v.value === undefined)
    .map(([name, v]) => ({ name, kind: 'variable', secret: v.secret, prompt: v.prompt ?? v.description, host: undefined }));
  const sudoHosts = [...new Set(plan.steps.filter((s) => s.sudo).flatMap((s) => selectHosts(plan, s.hosts)))].sort();
  return [...variables, ...sudoHosts.map((host): NeededValue => ({ name: `sudo@${host}`, kind: 'sudo', secret: true, prompt: undefined, host }))];
}

/** Whether the run has the value: given under its own name, or (for sudo) the plain `sudo` for all hosts. */
export function isProvided(state: Pick<RunState, 'secretsProvided'>, value: NeededValue): boolean {
  return state.secretsProvided.includes(value.name) || (value.kind === 'sudo' && state.secretsProvided.includes('sudo'));
}

export type HostKeyQuestion = Extract<OpenQuestion, { kind: 'host-key' }> & { readonly expected: readonly { readonly type: string; readonly fingerprint: string }[] };

export function hostKeyQuestions(plan: Plan, state: Pick<RunState, 'questions'>): HostKeyQuestion[] {
  return state.questions.flatMap((q) => (q.kind === 'host-key' ? [{ ...q, expected: plan.hosts.find((h) => h.name === q.host)?.hostKeys ?? [] }] : []));
}

/** Hosts whose pinned key changed (the connection stopped before any credential was sent) and not yet overridden. */
export function changedKeyHosts(state: Pick<RunState, 'hosts'>): { host: string; message: string }[] {
  return Object.values(state.hosts).flatMap((h) => {
    const error = currentHostError(h);
    // An override given before this failure did not match what the server presents: offer it again.
    const overridden = h.keyOverride !== undefined && error !== undefined && h.keyOverride.seq > error.seq;
    return error?.code === 'SSH_HOST_KEY_MISMATCH' && !overridden ? [{ host: h.host, message: error.message }] : [];
  });
}

export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
