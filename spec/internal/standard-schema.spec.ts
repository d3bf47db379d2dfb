import * as v from 'valibot';
import { z } from 'zod';
import * as zm from 'zod/mini';
import {
  flow,
  isParameterValidationError,
  type ParameterValidationError,
  type StandardSchemaV1,
} from '../../lib/index.node';
import { checkSchema, isStandardSchema } from '../../lib/internal/standard-schema';
import { expectValidSequence, names, outcome, recordRunStates } from '../engine/support';

/** The same schema in each library: `n` an integer defaulting to 3, `label` a string. */
const schemas = {
  'zod classic': z.object({ n: z.number().int().default(3), label: z.string() }),
  'zod mini': zm.object({ n: zm._default(zm.int(), 3), label: zm.string() }),
  valibot: v.object({ n: v.optional(v.pipe(v.number(), v.integer()), 3), label: v.string() }),
};

describe('flow parameters as any Standard Schema', () => {
  describe.each(Object.entries(schemas))('%s', (_, schema) => {
    it('should parse the argument, defaults applied, before the body runs, with the output typed', async () => {
      const typed = flow({ name: 'typed', parameters: schema }, async ({ n, label }) => `${label}:${n * 2}`);
      await expect(typed({ label: 'x' })).resolves.toBe('x:6');
      expect(typed.validateParameters({ n: 5, label: 'y' })).toEqual({ n: 5, label: 'y' });
    });

    it('should end Pending → Failed before the body runs, with a ParameterValidationError naming each bad parameter', async () => {
      let ran = false;
      const typed = flow({ name: 'typed', parameters: schema }, async () => {
        ran = true;
      });
      const recorder = recordRunStates();
      const result = await outcome(typed({ n: 1.5, label: 7 } as never));
      recorder.stop();
      expect(ran).toBe(false);
      const error = (result as { error: unknown }).error as ParameterValidationError;
      expect(isParameterValidationError(error)).toBe(true);
      expect(error.issues.map((i) => i.path.join('.'))).toEqual(['n', 'label']);
      expect(error.message).toMatch(/^Invalid parameters for flow 'typed':\n {2}- n: .+\n {2}- label: .+$/);
      const states = recorder.statesOf('typed');
      expect(names(states)).toEqual(['Pending', 'Failed']);
      expectValidSequence(states);
      expect(() => typed.validateParameters({ label: 7 })).toThrow(/- label: /);
    });

    it('should take the names of a flowRunName template from the schema', async () => {
      const named = flow({ name: 'named', flowRunName: 'job-{label}', parameters: schema }, async () => 1);
      const recorder = recordRunStates();
      await named({ label: 'a' });
      recorder.stop();
      expect(recorder.statesOf('named').length).toBeGreaterThan(0);
      expect(() =>
        flow({ name: 'bad', flowRunName: 'job-{day}', parameters: schema }, async () => 1),
      ).toThrow(/the template refers to '\{day\}', which is not a parameter/);
    });
  });

  it("should keep each library's own messages (zod classic in English, valibot's own)", () => {
    const messages = Object.entries(schemas).map(([library, schema]) => {
      try {
        flow({ name: 'f', parameters: schema }, async () => 1).validateParameters({ label: 7 });
      } catch (error) {
        return `${library}: ${(error as ParameterValidationError).issues[0]!.message}`;
      }
      return `${library}: passed`;
    });
    expect(messages[0]).toBe('zod classic: Invalid input: expected string, received number');
    expect(messages[2]).toBe('valibot: Invalid type: Expected string but received 7');
  });

  it('should fail the run, never wait, when a Standard Schema is asynchronous, leaving no unhandled rejection', async () => {
    const asyncValibot = v.objectAsync({
      id: v.pipeAsync(
        v.string(),
        v.checkAsync(async () => Promise.reject(new Error('lookup failed')), 'unknown id'),
      ),
    });
    const f = flow({ name: 'async', parameters: asyncValibot }, async ({ id }) => id);
    const result = await outcome(f({ id: 'x' }));
    const error = (result as { error: unknown }).error as ParameterValidationError;
    expect(error.issues.map((i) => i.message)).toEqual([
      "the parameters schema is asynchronous (an async refine or transform), but parameters are checked synchronously, before the run starts: make the schema synchronous, or check in the flow's body",
    ]);
    expect(() => f.validateParameters({ id: 'x' })).toThrow(/the parameters schema is asynchronous/);
  });
});

describe('checkSchema', () => {
  const standard = (validate: (value: unknown) => unknown): StandardSchemaV1 =>
    ({ '~standard': { version: 1, vendor: 'test', validate } }) as StandardSchemaV1;

  it("should give a foreign schema's issues as zod custom issues, path segments as keys", () => {
    const schema = standard(() => ({
      issues: [{ message: 'bad', path: [{ key: 'rows' }, 2, 'name'] }, { message: 'root' }],
    }));
    expect(checkSchema(schema, {})).toEqual({
      kind: 'issues',
      issues: [
        { code: 'custom', path: ['rows', 2, 'name'], message: 'bad' },
        { code: 'custom', path: [], message: 'root' },
      ],
    });
  });

  it('should never throw: a throwing validate, a rejected promise and a zod async refine each give an outcome', async () => {
    const boom = new Error('boom');
    expect(
      checkSchema(
        standard(() => {
          throw boom;
        }),
        1,
      ),
    ).toEqual({ kind: 'threw', error: boom });
    // Rejected and never awaited by rxflow: the handler it attaches keeps it from being unhandled.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(
        checkSchema(
          standard(() => Promise.reject(boom)),
          1,
        ),
      ).toEqual({ kind: 'async', error: undefined });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    const zodAsync = zm.string().check(zm.refine(async () => true));
    expect(checkSchema(zodAsync, 'x').kind).toBe('async');
  });

  it('should tell Standard Schemas from other values without throwing', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect([schemas['zod classic'], schemas['zod mini'], schemas.valibot].map(isStandardSchema)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      [{}, null, 'x', { '~standard': { version: 2, validate: () => ({}) } }, hostile].map(isStandardSchema),
    ).toEqual([false, false, false, false, false]);
  });
});
