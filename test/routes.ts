/**
 * The routes a Fastify application has registered, for tests that go through every one (the
 * access matrix, the cross-site refusal).
 */

/**
 * The routes an application registers, read from `printRoutes({ commonPrefix: false })`: a tree
 * whose node labels, joined from the root down, are the routes, each with its methods.
 */
export function registeredRoutes(tree: string): Array<{ method: string; route: string }> {
  const out: Array<{ method: string; route: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]].length / 4;
    const route = (depth > 0 ? stack[depth - 1] : '') + m[2];
    stack[depth] = route;
    stack.length = depth + 1;
    for (const method of m[3]?.split(', ') ?? []) out.push({ method, route });
  }
  return out;
}
