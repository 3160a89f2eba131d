import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep } from '../../../shared/plan';
import { selectHosts } from '../../../shared/plan';
import type { HostEndpoint } from '../ssh/connection';
import type { Store } from '../store';
import type { VariableValues } from './substituteVariables';

// What a run needs from its plan: the endpoints to connect to, the hosts of each step and
// check, and the variable values (the plan's own plus what the technician provided).

export function loadRunPlan(store: Store, planHash: string): Plan {
  const stored = store.plans.get(planHash);
  if (stored === undefined) throw new AppError('PLAN_NOT_FOUND', `The plan of this run (${planHash}) is not in this data folder. Import it again.`, { hash: planHash });
  return stored.parsed as Plan;
}

export function endpointsOf(plan: Plan): Map<string, HostEndpoint> {
  const endpoints = new Map<string, HostEndpoint>();
  const build = (name: string, seen: readonly string[]): HostEndpoint => {
    const known = endpoints.get(name);
    if (known !== undefined) return known;
    const host = plan.hosts.find((h) => h.name === name);
    if (host === undefined || seen.includes(name)) throw new AppError('PLAN_INVALID', `The plan's host ${name} cannot be reached as written. Fix the plan.`, { host: name });
    const endpoint: HostEndpoint = {
      name: host.name,
      address: host.address,
      port: host.port,
      user: host.user,
      pinnedKeys: host.hostKeys.map((k) => ({ type: k.type, fingerprint: k.fingerprint })),
      tags: [...host.tags],
      ...(host.credential === undefined ? {} : { credential: host.credential }),
      ...(host.jump === undefined ? {} : { jump: build(host.jump, [...seen, name]) }),
    };
    endpoints.set(name, endpoint);
    return endpoint;
  };
  for (const host of plan.hosts) build(host.name, []);
  return endpoints;
}

export const hostsOfStep = (plan: Plan, step: PlanStep): string[] => selectHosts(plan, step.hosts);

export const hostsOfCheck = (plan: Plan, hosts: readonly string[] | undefined): string[] =>
  hosts === undefined ? plan.hosts.map((h) => h.name) : selectHosts(plan, hosts);

/** The sudo password for a host: `sudo@<host>` wins over `sudo`. */
export function sudoPasswordFor(secrets: ReadonlyMap<string, string>, host: string): string | undefined {
  return secrets.get(`sudo@${host}`) ?? secrets.get('sudo');
}

/** Plan values plus provided ones; a variable without a value is simply absent (substitution names it). */
export function variableValues(plan: Plan, provided: ReadonlyMap<string, string>): VariableValues {
  const values: Record<string, { value: string; secret: boolean }> = {};
  for (const [name, variable] of Object.entries(plan.variables)) {
    const value = provided.get(name) ?? variable.value;
    if (value !== undefined) values[name] = { value, secret: variable.secret };
  }
  return values;
}

/** Names that must be provided before deployment: variables without a value, and sudo where a step needs it. */
export function missingInputs(plan: Plan, provided: ReadonlyMap<string, string>): string[] {
  const missing = Object.entries(plan.variables)
    .filter(([name, variable]) => variable.value === undefined && !provided.has(name))
    .map(([name]) => name);
  const sudoHosts = new Set(plan.steps.filter((s) => s.sudo).flatMap((s) => hostsOfStep(plan, s)));
  for (const host of sudoHosts) if (sudoPasswordFor(provided, host) === undefined) missing.push(`sudo@${host}`);
  return missing;
}
