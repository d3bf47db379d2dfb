import fc from 'fast-check';
import { allowFailure, task, TaskRunFuture } from '../../lib/index.node';
import { withVirtualTime } from '../../lib/testing/index.node';

const value = task({ name: 'value' }, (x: number) => x);
const take = task({ name: 'take' }, (...args: unknown[]) => args);

/** A graph whose root has `n` children, each pointing back to the root through a counting getter. */
function cyclicRoot(n: number, budget: number) {
  const counter = { reads: 0 };
  const root: { children: object[]; input?: unknown } = { children: [] };
  for (let i = 0; i < n; i++) {
    root.children.push({
      i,
      get parent() {
        // Without a visited set the walk is exponential: fail fast instead of hanging.
        if (++counter.reads > budget) throw new Error(`walked past ${budget} reads`);
        return root;
      },
    });
  }
  return { root, counter };
}

describe('submit and map arguments', () => {
  it('should walk a cyclic argument once per container', async () => {
    await withVirtualTime(async () => {
      const { root, counter } = cyclicRoot(10, 1000);
      const received = (await take.submit(root).result()) as [typeof root];
      expect(received[0]).toBe(root); // no future inside: shared, not copied
      // each back pointer is read once by the walk (the run may read its parameters once more)
      expect(counter.reads).toBeLessThanOrEqual(10 * 2);
    });
  });

  it('should resolve a future inside a cyclic argument and keep the cycle', async () => {
    await withVirtualTime(async () => {
      const { root, counter } = cyclicRoot(10, 1000);
      root.input = value.submit(7);
      const [copy] = (await take.submit(root).result()) as [typeof root];
      expect(copy).not.toBe(root);
      expect(copy.input).toBe(7);
      expect(root.input).toBeInstanceOf(TaskRunFuture); // the caller's graph is not changed
      expect(copy.children).toHaveLength(10);
      for (const child of copy.children) expect((child as { parent: unknown }).parent).toBe(copy);
      expect(counter.reads).toBeLessThanOrEqual(10 * 4);
    });
  });

  it('should walk map items that share a cyclic graph linearly', async () => {
    await withVirtualTime(async () => {
      const { root, counter } = cyclicRoot(6, 1000);
      const items = Array.from({ length: 5 }, (_, i) => ({ i, root }));
      const results = (await take.map(items).result()) as [{ i: number; root: unknown }][];
      expect(results.map(([item]) => item.i)).toEqual([0, 1, 2, 3, 4]);
      expect(counter.reads).toBeLessThanOrEqual(5 * 6 * 2);
    });
  });

  it('should resolve a future in every place a shared sub-object appears', async () => {
    await withVirtualTime(async () => {
      const shared = { f: value.submit(3), g: [allowFailure(value.submit(4))] };
      const [a, b] = (await take.submit({ x: shared, y: shared, z: [shared] }, [shared]).result()) as [
        { x: typeof shared; y: typeof shared; z: (typeof shared)[] },
        (typeof shared)[],
      ];
      const expected = { f: 3, g: [4] };
      expect(a.x).toEqual(expected);
      expect(a.y).toBe(a.x); // one copy per shared container
      expect(a.z[0]).toBe(a.x);
      expect(b[0]).toEqual(expected);
    });
  });

  it('should give each run a graph shaped like its argument, futures replaced by their results', async () => {
    type Edge = { node: number } | { future: number } | { prim: number };
    const graphArb = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.record({
        kinds: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        edges: fc.array(
          fc.array(
            fc.oneof(
              fc.record({ node: fc.nat(n - 1) }),
              fc.record({ future: fc.nat(2) }),
              fc.record({ prim: fc.integer() }),
            ) as fc.Arbitrary<Edge>,
            { maxLength: 4 },
          ),
          { minLength: n, maxLength: n },
        ),
        second: fc.nat(n - 1),
      }),
    );
    await fc.assert(
      fc.asyncProperty(graphArb, async ({ kinds, edges, second }) => {
        await withVirtualTime(async () => {
          const futures = [0, 1, 2].map((k) => value.submit(100 + k));
          const nodes: Record<string, unknown>[] = kinds.map((isArray) =>
            isArray ? ([] as unknown as Record<string, unknown>) : {},
          );
          edges.forEach((list, i) =>
            list.forEach((edge, j) => {
              nodes[i]![Array.isArray(nodes[i]) ? j : `k${j}`] =
                'node' in edge ? nodes[edge.node] : 'future' in edge ? futures[edge.future] : edge.prim;
            }),
          );
          // which nodes reach a future: those must be copied, the others shared
          const reaches = (start: number): boolean => {
            const seen = new Set<number>();
            const stack = [start];
            while (stack.length > 0) {
              const i = stack.pop()!;
              if (seen.has(i)) continue;
              seen.add(i);
              for (const edge of edges[i]!) {
                if ('future' in edge) return true;
                if ('node' in edge) stack.push(edge.node);
              }
            }
            return false;
          };
          const [out0, out1] = (await take.submit(nodes[0], nodes[second]).result()) as unknown[];
          const image = new Map<unknown, unknown>();
          const check = (input: unknown, output: unknown): void => {
            if (input instanceof TaskRunFuture) {
              expect(output).toBe(100 + futures.indexOf(input));
              return;
            }
            if (input === null || typeof input !== 'object') {
              expect(output).toBe(input);
              return;
            }
            if (image.has(input)) {
              expect(output).toBe(image.get(input));
              return;
            }
            image.set(input, output);
            const index = nodes.indexOf(input as Record<string, unknown>);
            if (reaches(index)) expect(output).not.toBe(input);
            else expect(output).toBe(input);
            expect(Array.isArray(output)).toBe(Array.isArray(input));
            expect(Object.keys(output as object)).toEqual(Object.keys(input));
            for (const key of Object.keys(input))
              check((input as Record<string, unknown>)[key], (output as Record<string, unknown>)[key]);
          };
          check(nodes[0], out0);
          check(nodes[second], out1);
        });
      }),
      { numRuns: 150 },
    );
  });
});
