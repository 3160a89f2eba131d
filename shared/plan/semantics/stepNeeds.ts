import { closest, quoteShort, shown } from '../describe';
import type { ProblemDraft } from '../draft';
import { cycleThrough, cyclicComponents } from './cycles';
import { entriesOf, problem, textOf, textsOf, type SemanticContext } from './raw';

// `needs` must name steps that exist and must not loop: the runner could never start a step
// that waits, however indirectly, for itself.
export function checkStepNeeds({ document }: SemanticContext): ProblemDraft[] {
  const problems: ProblemDraft[] = [];
  const steps = entriesOf(document, 'steps');
  const nodeOf = new Map<string, number>();
  steps.forEach(({ item }, node) => {
    const id = textOf(item, 'id');
    if (id !== undefined && !nodeOf.has(id)) nodeOf.set(id, node);
  });
  const ids = [...nodeOf.keys()];

  const edges: number[][] = steps.map(() => []);
  // For each edge, the needs entry it came from, so that a cycle is reported where it is written.
  const edgeIndex: Map<number, number>[] = steps.map(() => new Map());
  steps.forEach(({ index, item }, node) => {
    for (const need of textsOf(item, 'needs')) {
      const target = nodeOf.get(need.value);
      if (target === undefined) {
        const suggestion = closest(need.value, ids);
        problems.push(
          problem(
            'NEEDS_UNKNOWN_STEP',
            ['steps', index, 'needs', need.index],
            quoteShort(need.value),
            'the id of a step in this plan',
            `No step has the id ${shown(need.value)}${suggestion ? `; did you mean ${shown(suggestion)}?` : '; check the spelling or add the step.'}`,
          ),
        );
        continue;
      }
      if (!edgeIndex[node]!.has(target)) {
        edges[node]!.push(target);
        edgeIndex[node]!.set(target, need.index);
      }
    }
  });

  for (const component of cyclicComponents(steps.length, edges)) {
    const start = component[0]!;
    const cycle = cycleThrough(start, component, edges);
    const names = cycle.map((node) => shown(textOf(steps[node]!.item, 'id') ?? '?'));
    const loop = names.join(' → ');
    const needIndex = edgeIndex[start]!.get(cycle[1]!) ?? 0;
    problems.push(
      problem(
        'NEEDS_CYCLE',
        ['steps', steps[start]!.index, 'needs', needIndex],
        loop,
        'needs without a cycle',
        `These steps wait for each other in a cycle: ${loop} (→ means "needs"), so none of them could ever start; remove one of these needs.`,
      ),
    );
  }
  return problems;
}
