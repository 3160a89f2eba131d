import type { Plan } from './schema/planSchema';

// Questions the runner and the UI ask of a validated plan.

/** Names of the hosts a selector picks (by name or by tag), in plan order, each once. */
export function selectHosts(plan: Plan, selector: readonly string[]): string[] {
  const wanted = new Set(selector);
  return plan.hosts.filter((host) => wanted.has(host.name) || host.tags.some((tag) => wanted.has(tag))).map((host) => host.name);
}

/**
 * A topological order of the step ids: every step after the steps it needs, and among steps that
 * could go in either order, the one written first in the plan first. Throws a RangeError if
 * `needs` has a cycle, which parsePlan never lets through.
 */
export function stepOrder(plan: Plan): string[] {
  const position = new Map(plan.steps.map((step, index) => [step.id, index]));
  const waitingOn = plan.steps.map((step) => new Set(step.needs.filter((need) => position.has(need) && need !== undefined)));
  const neededBy = plan.steps.map(() => [] as number[]);
  plan.steps.forEach((step, index) => {
    for (const need of waitingOn[index]!) neededBy[position.get(need)!]!.push(index);
  });
  const remaining = plan.steps.map((_, index) => waitingOn[index]!.size);
  // Ready steps are kept sorted by plan position; plans are small enough for a sorted array.
  const ready = plan.steps.map((_, index) => index).filter((index) => remaining[index] === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(plan.steps[next]!.id);
    for (const dependent of neededBy[next]!) {
      remaining[dependent]! -= 1;
      if (remaining[dependent] === 0) insertSorted(ready, dependent);
    }
  }
  if (order.length !== plan.steps.length) throw new RangeError('the steps of this plan have a needs cycle');
  return order;
}

function insertSorted(list: number[], value: number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid]! < value) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, value);
}
