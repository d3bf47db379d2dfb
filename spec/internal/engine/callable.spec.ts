import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import {
  flow,
  getClient,
  isOptionValidationError,
  isParameterValidationError,
  ParameterValidationError,
  task,
} from '../../../lib/index.node';
import { collect, names } from '../../engine/support';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

describe('makeCallable', () => {
  describe('this', () => {
    it('should give the body the object a flow or task is called on as a method', async () => {
      const o = {
        k: 2,
        f: flow(function (this: { k: number }, x: number) {
          return this.k * x;
        }),
        t: task(async function (this: { k: number }, x: number) {
          return this.k + x;
        }),
      };
      await expect(o.f(3)).resolves.toBe(6);
      await expect(o.t(3)).resolves.toBe(5);
      // call/apply work as for any function; a bare call has no `this`.
      await expect(o.f.call({ k: 10 }, 3)).resolves.toBe(30);
      const bare = o.f;
      await expect(bare(3)).rejects.toBeInstanceOf(TypeError);
    });

    it('should keep `this` on class instances whose field is a flow', async () => {
      const scale = flow({ name: 'scale' }, function (this: Pipeline, x: number) {
        return this.factor * x;
      });
      class Pipeline {
        constructor(readonly factor: number) {}
        run = scale;
        bound = scale.bind(this);
      }
      const p = new Pipeline(4);
      await expect(p.run(2)).resolves.toBe(8);
      const states = await collect(p.bound.run$(2));
      expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
      expect(states.at(-1)!.data).toBe(8);
    });

    it('should bind run$, withOptions and calls of a flow with bind', async () => {
      const o = { k: 2 };
      const f = flow({ name: 'f' }, function (this: { k: number }, x: number) {
        return this.k * x;
      });
      const bound = f.bind(o);
      await expect(bound(3)).resolves.toBe(6);
      // A bound flow ignores the call's own `this`, as a bound function does.
      await expect(bound.call({ k: 100 }, 3)).resolves.toBe(6);
      const last = await lastValueFrom(bound.run$(3));
      expect(last.data).toBe(6);
      const retried = bound.withOptions({ retries: 1, name: 'f-retried' });
      expect(retried.name).toBe('f-retried');
      await expect(retried(4)).resolves.toBe(8);
      // The original stays unbound.
      await expect(f(3)).rejects.toBeInstanceOf(TypeError);
    });

    it('should bind submit and map of a task with bind, and share its hooks', async () => {
      const seen: number[] = [];
      const add = task({ name: 'add' }, function (this: { k: number }, x: number) {
        return this.k + x;
      });
      const bound = add.bind({ k: 10 });
      bound.onCompletion((_t, _run, state) => void seen.push(state.data as number));
      const sum = flow({ name: 'sum' }, async () => {
        const one = bound.submit(1);
        const many = bound.map([2, 3]);
        return (await one.result()) + (await many.result()).reduce((a, b) => a + b, 0);
      });
      await expect(sum()).resolves.toBe(36);
      await add.call({ k: 0 }, 5);
      expect(seen.sort((a, b) => a - b)).toEqual([5, 11, 12, 13]);
    });

    it('should keep `this` when retryFlowRun runs a flow called as a method again', async () => {
      const o = {
        k: 3,
        f: flow({ name: 'method-flow' }, function (this: { k: number }, x: number) {
          return this.k * x;
        }),
      };
      await expect(o.f(2)).resolves.toBe(6);
      const [latest] = await getClient().readFlowRuns({ flowName: 'method-flow', limit: 1 });
      const again = await getClient().retryFlowRun(latest!.id);
      expect(again.state.type).toBe('COMPLETED');
      expect(again.state.data).toBe(6);
    });

    it('should refuse bind with arguments to fix, naming the flow', () => {
      const f = flow({ name: 'partial' }, (x: number) => x);
      expect(() => (f.bind as (...a: unknown[]) => unknown)({}, 1)).toThrow(
        "flow 'partial'.bind takes exactly one argument",
      );
    });
  });

  describe('generator bodies', () => {
    it('should refuse sync and async generator functions at definition, naming the function', () => {
      function* numbers() {
        yield 1;
      }
      async function* pages() {
        yield await Promise.resolve(1);
      }
      const cases: [() => unknown, string][] = [
        [
          () => task(numbers),
          "task 'numbers': invalid option 'fn': a generator function cannot be a task body",
        ],
        [() => flow(pages), "flow 'pages': invalid option 'fn': an async generator function"],
        [() => flow({ name: 'named' }, numbers), "flow 'named': invalid option 'fn'"],
      ];
      for (const [define, message] of cases) {
        let error: unknown;
        try {
          define();
        } catch (e) {
          error = e;
        }
        expect(isOptionValidationError(error)).toBe(true);
        expect((error as Error).message).toContain(message);
      }
      expect(() => task(numbers)).toThrowErrorMatchingInlineSnapshot(
        `"task 'numbers': invalid option 'fn': a generator function cannot be a task body: the run would end when the generator object is returned, before any of its code runs. Collect the values in the body (\`for await (const x of gen()) out.push(x)\`, then return out), or keep the generator outside and make each step a task"`,
      );
    });

    it('should accept a function that collects a generator’s values in the run', async () => {
      function* numbers(n: number) {
        for (let i = 1; i <= n; i++) yield i;
      }
      const collectAll = task({ name: 'collect' }, (n: number) => [...numbers(n)]);
      await expect(collectAll(3)).resolves.toEqual([1, 2, 3]);
    });
  });

  describe('validateParameters', () => {
    const schema = z.object({ n: z.number().int().default(3), label: z.string() });

    it('should return the parsed parameters of a flow with a schema, defaults applied, without a run', async () => {
      let runs = 0;
      const typed = flow({ name: 'typed', parameters: schema }, ({ n, label }) => {
        runs++;
        return `${label}${n}`;
      });
      const parsed = typed.validateParameters({ label: 'x' });
      const typedAsOutput: Expect<Equal<typeof parsed, { n: number; label: string }>> = true;
      expect(typedAsOutput).toBe(true);
      expect(parsed).toEqual({ n: 3, label: 'x' });
      expect(runs).toBe(0);
      await expect(typed(parsed)).resolves.toBe('x3');
    });

    it('should throw a ParameterValidationError listing every issue', () => {
      const typed = flow({ name: 'typed', parameters: schema }, ({ n }) => n);
      let error: unknown;
      try {
        typed.validateParameters({ n: 1.5, label: 7 });
      } catch (e) {
        error = e;
      }
      expect(isParameterValidationError(error)).toBe(true);
      expect((error as ParameterValidationError).issues.map((i) => i.path.join('.'))).toEqual(['n', 'label']);
      expect((error as Error).message).toMatchInlineSnapshot(`
       "Invalid parameters for flow 'typed':
         - n: Invalid input: expected int, received number
         - label: Invalid input: expected string, received number"
      `);
    });

    it('should check even when the flow does not validate its calls', () => {
      const lax = flow({ name: 'lax', parameters: schema, validateParameters: false }, ({ n }) => n);
      expect(() => lax.validateParameters({})).toThrow(ParameterValidationError);
    });

    it('should turn a schema that throws while parsing into a ParameterValidationError', () => {
      const throwing = z.object({ n: z.number() }).transform(() => {
        throw new RangeError('no');
      });
      const f = flow({ name: 'throwing', parameters: throwing }, (x) => x);
      expect(() => f.validateParameters({ n: 1 })).toThrow(
        "Invalid parameters for flow 'throwing':\n  - (root): the parameters schema threw: RangeError: no",
      );
    });

    it('should return the arguments by parameter name for a flow without a schema', () => {
      const plain = flow({ name: 'plain' }, (day: string, limit: number) => `${day}${limit}`);
      expect(plain.validateParameters('2024-06-01', 10)).toEqual({ day: '2024-06-01', limit: 10 });
    });
  });
});
