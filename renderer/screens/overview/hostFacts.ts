// What the run knows of a host now. The journal keeps the last connection failure even after a
// later success, so an error counts only when it came after the last connection.
import type { HostFacts } from '../../../shared/run';

export function currentHostError(facts: HostFacts): HostFacts['lastError'] {
  const error = facts.lastError;
  if (error === undefined) return undefined;
  return facts.connected !== undefined && facts.connected.seq > error.seq ? undefined : error;
}
