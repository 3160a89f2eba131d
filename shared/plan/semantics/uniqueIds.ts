import { quoteShort, shown } from '../describe';
import type { ProblemDraft } from '../draft';
import { formatPlanPath, type PlanPath } from '../path';
import { entriesOf, isRecord, problem, textOf, type SemanticContext } from './raw';

// Every list whose entries are referred to by name needs each name once; otherwise `needs: [x]`
// or an upload of artifact x would mean two things.
const ID_LISTS: readonly { list: PlanPath; key: string; noun: string }[] = [
  { list: ['contacts'], key: 'id', noun: 'contact id' },
  { list: ['hosts'], key: 'name', noun: 'host name' },
  { list: ['artifacts'], key: 'id', noun: 'artifact id' },
  { list: ['checklist'], key: 'id', noun: 'checklist item id' },
  { list: ['baseline'], key: 'id', noun: 'check id' },
  { list: ['steps'], key: 'id', noun: 'step id' },
  { list: ['handover', 'items'], key: 'id', noun: 'handover item id' },
  { list: ['handover', 'signOff'], key: 'role', noun: 'sign-off role' },
];

export function checkUniqueIds({ document, where }: SemanticContext): ProblemDraft[] {
  const problems: ProblemDraft[] = [];
  for (const { list, key, noun } of ID_LISTS) {
    const owner = list.length === 1 ? document : isRecord(document) ? document[list[0] as string] : undefined;
    const first = new Map<string, number>();
    for (const { index, item } of entriesOf(owner, String(list[list.length - 1]))) {
      const id = textOf(item, key);
      if (id === undefined) continue;
      const earlier = first.get(id);
      if (earlier === undefined) {
        first.set(id, index);
        continue;
      }
      const earlierPath = [...list, earlier, key];
      problems.push(
        problem(
          'DUPLICATE_ID',
          [...list, index, key],
          quoteShort(id),
          `a ${noun} not used before`,
          `The ${noun} ${shown(id)} is already used by ${formatPlanPath([...list, earlier])} (${where(earlierPath)}); give each one its own.`,
        ),
      );
    }
  }
  return problems;
}
