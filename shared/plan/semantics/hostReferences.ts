import { closest, listWords, quoteShort, shown } from '../describe';
import type { ProblemDraft } from '../draft';
import { problem, entriesOf, textOf, textsOf, type RawEntry, type SemanticContext } from './raw';

// Hosts are named by steps and checks (by name or tag) and by other hosts (jump). A selector
// entry that matches no host is almost always a typo that would silently skip work.

interface HostIndex {
  readonly names: Map<string, number>;
  readonly tags: Map<string, string[]>;
  readonly hosts: RawEntry[];
}

function indexHosts(document: unknown): HostIndex {
  const hosts = entriesOf(document, 'hosts');
  const names = new Map<string, number>();
  const tags = new Map<string, string[]>();
  hosts.forEach(({ item }, node) => {
    const name = textOf(item, 'name');
    if (name === undefined) return;
    if (!names.has(name)) names.set(name, node);
    for (const { value } of textsOf(item, 'tags')) {
      const members = tags.get(value) ?? [];
      if (!members.includes(name)) members.push(name);
      tags.set(value, members);
    }
  });
  return { names, tags, hosts };
}

/** How many distinct hosts a selector picks. */
function selectedCount(index: HostIndex, selector: readonly string[]): number {
  const picked = new Set<string>();
  for (const entry of selector) {
    if (index.names.has(entry)) picked.add(entry);
    for (const name of index.tags.get(entry) ?? []) picked.add(name);
  }
  return picked.size;
}

export function checkHostSelectors({ document }: SemanticContext): ProblemDraft[] {
  const index = indexHosts(document);
  if (index.hosts.length === 0) return []; // the schema reports the missing hosts
  const problems: ProblemDraft[] = [];
  const candidates = [...index.names.keys(), ...index.tags.keys()];
  const known = `hosts are ${listWords([...index.names.keys()].map(shown), 'and', 8)}${index.tags.size > 0 ? `; tags are ${listWords([...index.tags.keys()].map(shown), 'and', 8)}` : ''}`;
  for (const list of ['steps', 'baseline'] as const) {
    for (const { index: at, item } of entriesOf(document, list)) {
      const selector = textsOf(item, 'hosts');
      for (const entry of selector) {
        if (index.names.has(entry.value) || index.tags.has(entry.value)) continue;
        const suggestion = closest(entry.value, candidates);
        problems.push(
          problem(
            'HOST_SELECTOR_EMPTY',
            [list, at, 'hosts', entry.index],
            quoteShort(entry.value),
            'the name or a tag of a host in this plan',
            `No host is named ${shown(entry.value)} and none has it as a tag${suggestion ? `; did you mean ${shown(suggestion)}?` : ` (${known}).`}`,
          ),
        );
      }
      const serial = item['serial'];
      if (list === 'steps' && typeof serial === 'number' && selector.length > 0) {
        const count = selectedCount(index, selector.map((s) => s.value));
        if (count > 0 && serial > count) {
          problems.push(
            problem(
              'SERIAL_EXCEEDS_HOSTS',
              [list, at, 'serial'],
              `serial: ${serial}`,
              `at most ${count}, the number of hosts the step selects`,
              `serial is ${serial} but the step selects ${count} host${count === 1 ? '' : 's'}, so it runs on all of them at once; lower serial if a rolling update was meant.`,
              'warning',
            ),
          );
        }
      }
    }
  }
  return problems;
}

export function checkJumpHosts({ document }: SemanticContext): ProblemDraft[] {
  const { names, hosts } = indexHosts(document);
  const problems: ProblemDraft[] = [];
  const jumpOf: (number | undefined)[] = hosts.map(() => undefined);
  hosts.forEach(({ index, item }, node) => {
    const jump = textOf(item, 'jump');
    if (jump === undefined) return;
    const target = names.get(jump);
    if (target === undefined) {
      const suggestion = closest(jump, [...names.keys()]);
      problems.push(
        problem(
          'JUMP_UNKNOWN_HOST',
          ['hosts', index, 'jump'],
          quoteShort(jump),
          'the name of another host in this plan',
          `No host is named ${shown(jump)}${suggestion ? `; did you mean ${shown(suggestion)}?` : '; add the jump host to hosts or fix the name.'}`,
        ),
      );
      return;
    }
    jumpOf[node] = target;
  });

  // Each host has at most one jump, so following jumps from any host either ends or loops.
  const state = hosts.map(() => 0); // 0 unvisited, 1 on the current walk, 2 done
  for (let startNode = 0; startNode < hosts.length; startNode += 1) {
    const walk: number[] = [];
    let node: number | undefined = startNode;
    while (node !== undefined && state[node] === 0) {
      state[node] = 1;
      walk.push(node);
      node = jumpOf[node];
    }
    if (node !== undefined && state[node] === 1) {
      const loop = walk.slice(walk.indexOf(node));
      const first = Math.min(...loop);
      const rotated = [...loop.slice(loop.indexOf(first)), ...loop.slice(0, loop.indexOf(first)), first];
      const text = rotated.map((n) => shown(textOf(hosts[n]!.item, 'name') ?? '?')).join(' → ');
      problems.push(
        problem(
          'JUMP_LOOP',
          ['hosts', hosts[first]!.index, 'jump'],
          text,
          'a jump host chain that ends at a host reached directly',
          `These hosts jump through each other in a loop: ${text}, so none of them can be reached; one of them must be reachable without jump.`,
        ),
      );
    }
    for (const visited of walk) state[visited] = 2;
  }
  return problems;
}

