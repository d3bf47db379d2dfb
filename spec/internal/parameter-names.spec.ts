// `parameterNames`: parameter names that survive bundlers and minifiers, which rename the
// parameters the engine otherwise reads from a function's source.
import fc from 'fast-check';
import { z } from 'zod';
import { flow, INPUTS, MemoryStorage, NO_CACHE, task } from '../../lib/index.node';
import { recordRunStates, definitionError } from '../engine/support';

// What a minifier makes of `async (symbol) => …` and `(id, verbose) => …`.
const minified = async (e: string) => `avg of ${e}`;
const minifiedPair = (e: number, t: boolean) => (t ? e : e);

describe('parameter names read from minified source', () => {
  it('should refuse a run-name template naming a renamed parameter, saying to set parameterNames', () => {
    const error = definitionError(() => flow({ name: 'report', flowRunName: 'report-{symbol}' }, minified));
    expect(error.option).toBe('flowRunName');
    expect(error.message).toBe(
      "flow 'report': invalid option 'flowRunName': the template refers to '{symbol}', which is not a parameter of flow 'report' (parameters read from its source: e); if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)",
    );
  });

  it('should refuse INPUTS.exclude and a resultStorageKey naming a renamed parameter the same way', () => {
    const exclude = definitionError(() =>
      task({ name: 'load', cachePolicy: INPUTS.exclude('verbose') }, minifiedPair),
    );
    expect(exclude.option).toBe('cachePolicy');
    expect(exclude.message).toContain(
      "it excludes 'verbose', which is not a parameter of task 'load' (parameters read from its source: e, t)",
    );
    expect(exclude.message).toContain('set the parameterNames option');
    const key = definitionError(() => task({ name: 'load', resultStorageKey: 'load-{id}' }, minifiedPair));
    expect(key.option).toBe('resultStorageKey');
    expect(key.message).toMatch(/'\{id\}', which is not a parameter .*minifier.*parameterNames/);
  });

  it('should name runs and record parameters by parameterNames', async () => {
    const recorder = recordRunStates();
    const report = flow(
      { name: 'report', flowRunName: 'report-{symbol}', parameterNames: ['symbol'] },
      minified,
    );
    await expect(report('ACME')).resolves.toBe('avg of ACME');
    recorder.stop();
    const [run] = recorder.runs();
    expect({ name: run!.name, parameters: run!.parameters }).toEqual({
      name: 'report-ACME',
      parameters: { symbol: 'ACME' },
    });
  });

  it('should key a cache and a stored result by parameterNames', async () => {
    let calls = 0;
    const storage = new MemoryStorage();
    const load = task(
      { cachePolicy: INPUTS.exclude('verbose'), resultStorage: storage, parameterNames: ['id', 'verbose'] },
      (e: number, _t: boolean) => (calls++, e * 2),
    );
    expect([await load(1, true), await load(1, false), await load(2, false)]).toEqual([2, 2, 4]);
    expect(calls).toBe(2);
    const save = task(
      {
        resultStorageKey: 'item-{id}',
        cachePolicy: NO_CACHE,
        resultStorage: storage,
        parameterNames: ['id'],
      },
      (e: number) => e + 1,
    );
    await save(7);
    expect(await storage.exists('item-7')).toBe(true);
  });

  it('should bind a rest parameter and a destructured one', async () => {
    const recorder = recordRunStates();
    await task(
      { name: 'rest', parameterNames: ['first', '...others'] },
      (e: string, ...t: string[]) => e + t.length,
    )('a', 'b', 'c');
    await task({ name: 'destructured', parameterNames: ['options'] }, ({ n }: { n: number }) => n)({ n: 1 });
    recorder.stop();
    expect(recorder.runs().map((r) => r.parameters)).toEqual([
      { first: 'a', others: ['b', 'c'] },
      { options: { n: 1 } },
    ]);
  });

  it('should say when a template names what parameterNames does not', () => {
    expect(
      definitionError(() =>
        task({ name: 't', taskRunName: 't-{x}', parameterNames: ['id'] }, minifiedPair.bind(null)),
      ).message,
    ).toBe(
      "task 't': invalid option 'taskRunName': the template refers to '{x}', which is not in the parameterNames of task 't' (id)",
    );
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'an empty name',
      () => task({ parameterNames: [''] }, (e: number) => e),
      /entry 0 is "": a parameter name must not be empty/,
    ],
    ['a name given twice', () => task({ parameterNames: ['a', 'a'] }, minifiedPair), /'a' is named twice/],
    [
      'a rest name that is not last',
      () => task({ parameterNames: ['...a', 'b'] }, minifiedPair),
      /only the last entry may name a rest parameter/,
    ],
    [
      'too few names',
      () => task({ parameterNames: ['a'] }, minifiedPair),
      /it names 1 parameter, but the function declares 2 parameters/,
    ],
    [
      'a rest name for a plain parameter',
      () => task({ parameterNames: ['...a'] }, (e: number) => e),
      /it names 0 parameters and a rest parameter, but the function declares 1 parameter/,
    ],
    [
      'a name that is not a string',
      () => task({ parameterNames: [1] as never }, (e: number) => e),
      /expected string/,
    ],
    [
      'parameterNames with a parameters schema',
      () => flow({ parameters: z.object({ a: z.number() }), parameterNames: ['a'] }, ({ a }) => a),
      /a flow with a parameters schema takes its parameter names from the schema/,
    ],
  ])('should refuse %s', (_case, define, message) => {
    const error = definitionError(define);
    expect(error.option).toBe('parameterNames');
    expect(error.message).toMatch(message);
  });

  it('should bind every argument to the name at its position, for any list of names', async () => {
    return fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z]\w{0,6}$/), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 8 }),
        async (names, withRest, args) => {
          const given = withRest ? [...names.slice(0, -1), `...${names.at(-1)!}`] : names;
          const recorder = recordRunStates();
          const t = task(
            { name: 'p', parameterNames: given },
            function (...a: number[]) {
              return a.length;
            }.bind(null),
          );
          await t(...args);
          recorder.stop();
          const parameters = recorder.runs()[0]!.parameters;
          const positional = withRest ? names.slice(0, -1) : names;
          const expected: Record<string, unknown> = {};
          args.forEach((a, i) => {
            if (i < positional.length) expected[positional[i]!] = a;
          });
          if (args.length > positional.length) {
            if (withRest) expected[names.at(-1)!] = args.slice(positional.length);
            else
              args.slice(positional.length).forEach((a, i) => (expected[String(positional.length + i)] = a));
          }
          expect(parameters).toEqual(expected);
        },
      ),
    );
  });
});
