/** Orders nodes so each comes after the ones it depends on; reports cycles as name lists. */
export function orderByDependencies(dependencies: ReadonlyMap<string, readonly string[]>): {
  order: string[];
  cycles: string[][];
} {
  const order: string[] = [];
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(name)), name]);
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const upstream of dependencies.get(name) ?? []) {
      if (dependencies.has(upstream)) visit(upstream);
    }
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };

  for (const name of dependencies.keys()) visit(name);
  return { order, cycles };
}
