import { z } from 'zod';
import { getClient } from '../../../lib/client/get-client';
import {
  isParameterValidationError,
  type ParameterValidationError,
} from '../../../lib/errors/parameter-validation-error';
import { flow } from '../../../lib/flow/flow';
import { parseParameters } from '../../../lib/internal/engine/parse-parameters';

describe('parseParameters', () => {
  it('should give the data of a valid input, and the issues of an invalid one', () => {
    const schema = z.object({ n: z.number() });
    expect(parseParameters('f', schema, { n: 1 })).toEqual({ success: true, data: { n: 1 } });
    const parsed = parseParameters('f', schema, { n: 'x' });
    expect(parsed.success).toBe(false);
    expect(!parsed.success && parsed.error.issues.map((i) => i.path)).toEqual([['n']]);
  });

  it('should never throw: a throwing transform, an async refine or an unreadable input give a ParameterValidationError', () => {
    const boom = new Error('bad id');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const cases: [z.ZodType, unknown][] = [
      [
        z.object({
          id: z.string().transform(() => {
            throw boom;
          }),
        }),
        { id: 'x' },
      ],
      [z.object({ id: z.string() }).refine(async () => true), { id: 'x' }],
      [z.object({ id: z.string() }), proxy],
    ];
    const messages = cases.map(([schema, input]) => {
      const parsed = parseParameters('f', schema, input);
      if (parsed.success) throw new Error('expected a failure');
      expect(isParameterValidationError(parsed.error)).toBe(true);
      return parsed.error.message;
    });
    expect(messages).toMatchInlineSnapshot(`
     [
       "Invalid parameters for flow 'f':
       - (root): the parameters schema threw: Error: bad id",
       "Invalid parameters for flow 'f':
       - (root): the parameters schema is asynchronous (an async refine or transform), but parameters are checked synchronously, before the run starts: make the schema synchronous, or check in the flow's body",
       "Invalid parameters for flow 'f':
       - (root): the parameters schema threw: TypeError: Cannot perform 'IsArray' on a proxy that has been revoked",
     ]
    `);
  });
});

describe('a flow whose parameters schema throws', () => {
  it.each([
    [
      'a transform that throws',
      z.object({
        id: z.string().transform((): string => {
          throw new Error('bad id');
        }),
      }),
    ],
    ['an async refine', z.object({ id: z.string() }).refine(async () => true)],
  ])(
    'should end Failed (not Crashed) with a ParameterValidationError for %s, before the body runs',
    async (_, schema) => {
      let ran = false;
      const checked = flow({ name: 'checked', flowRunName: 'checked', parameters: schema }, () => {
        ran = true;
      });
      const error = await checked({ id: 'x' }).then(
        () => undefined,
        (e: unknown) => e as ParameterValidationError,
      );
      expect(ran).toBe(false);
      expect(isParameterValidationError(error)).toBe(true);
      const [run] = await getClient().readFlowRuns({ flowName: 'checked', limit: 1 });
      expect(run!.state.name).toBe('Failed');
      expect(run!.state.error).toBe(error);
      expect(run!.parameters).toEqual({ id: 'x' });
    },
  );

  it('should keep what a transform threw as the cause', async () => {
    const boom = new Error('bad id');
    const checked = flow(
      {
        name: 'checked-cause',
        parameters: z.object({
          id: z.string().transform((): string => {
            throw boom;
          }),
        }),
      },
      () => undefined,
    );
    const error = await checked({ id: 'x' }).catch((e: unknown) => e as Error);
    expect(error?.cause).toBe(boom);
  });
});
