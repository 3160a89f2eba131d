// Strongly connected components (Tarjan), iterative so that a long chain of 2,000 steps cannot
// exhaust the stack, and the shortest cycle through a node within its component.

/** Components with a cycle (more than one node, or a node linked to itself), in node order. */
export function cyclicComponents(count: number, edges: readonly (readonly number[])[]): number[][] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  for (let root = 0; root < count; root += 1) {
    if (index[root] !== -1) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges[frame.node] ?? [];
      if (frame.edge < out.length) {
        const target = out[frame.edge++]!;
        if (index[target] === -1) {
          index[target] = low[target] = next++;
          stack.push(target);
          onStack[target] = true;
          work.push({ node: target, edge: 0 });
        } else if (onStack[target]) low[frame.node] = Math.min(low[frame.node]!, index[target]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] !== index[frame.node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && out.includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(component.sort((a, b) => a - b));
    }
  }
  return components.sort((a, b) => a[0]! - b[0]!);
}

/** The shortest cycle from `start` back to itself using only `members`: [start, …, start]. */
export function cycleThrough(start: number, members: readonly number[], edges: readonly (readonly number[])[]): number[] {
  const allowed = new Set(members);
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    for (const target of edges[node] ?? []) {
      if (!allowed.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: number | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.unshift(at);
        path.unshift(start);
        return path;
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
