import fc from 'fast-check';
import {
  CachePolicy,
  DEFAULT,
  FLOW_PARAMETERS,
  INPUTS,
  isCachePolicy,
  NO_CACHE,
  RUN_ID,
  TASK_SOURCE,
} from '../../lib/index.node';

const ALL = [INPUTS, TASK_SOURCE, RUN_ID, FLOW_PARAMETERS, NO_CACHE];

describe('CachePolicy', () => {
  it('should define DEFAULT as INPUTS + TASK_SOURCE + RUN_ID, as Prefect does', () => {
    expect(DEFAULT.parts).toEqual(['INPUTS', 'TASK_SOURCE', 'RUN_ID']);
    expect(INPUTS.add(TASK_SOURCE, RUN_ID).parts).toEqual(DEFAULT.parts);
    expect(String(DEFAULT)).toBe('INPUTS + TASK_SOURCE + RUN_ID');
  });

  it('should combine the same way in any order, and leave its operands unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL), { minLength: 1, maxLength: 6 }), (policies) => {
        const [first, ...rest] = policies;
        const forward = first!.add(...rest);
        const [last, ...others] = [...policies].reverse();
        expect(last!.add(...others).parts).toEqual(forward.parts);
        expect(Object.isFrozen(forward)).toBe(true);
      }),
    );
    expect(INPUTS.parts).toEqual(['INPUTS']);
    expect(NO_CACHE.add(INPUTS).parts).toEqual(['INPUTS']);
    expect(INPUTS.add(NO_CACHE).parts).toEqual(['INPUTS']);
    expect(NO_CACHE.isNone).toBe(true);
    expect(INPUTS.isNone).toBe(false);
  });

  it('should collect exclusions, sorted and without repeats, also through add()', () => {
    const policy = INPUTS.exclude('verbose', 'logger').add(TASK_SOURCE.exclude('verbose'));
    expect(policy.excluded).toEqual(['logger', 'verbose']);
    expect(INPUTS.excluded).toEqual([]);
    expect(String(policy)).toBe('INPUTS + TASK_SOURCE (excluding logger, verbose)');
  });

  it('should refuse what is not a policy or a parameter name', () => {
    expect(() => INPUTS.add('TASK_SOURCE' as never)).toThrow(
      'CachePolicy.add: argument 0 is not a cache policy (use INPUTS, TASK_SOURCE, RUN_ID, FLOW_PARAMETERS, NO_CACHE or DEFAULT)',
    );
    expect(() => INPUTS.exclude('')).toThrow(
      'CachePolicy.exclude: expected parameter names (non-empty strings), got ""',
    );
    expect(() => INPUTS.exclude(3 as never)).toThrow('got number');
  });

  it('should recognise policies, also structurally', () => {
    expect(isCachePolicy(DEFAULT)).toBe(true);
    expect(isCachePolicy(new CachePolicy(['RUN_ID']))).toBe(true);
    expect(isCachePolicy({ parts: [], excluded: [], add() {}, exclude() {} })).toBe(true);
    expect(isCachePolicy('INPUTS')).toBe(false);
    expect(isCachePolicy(null)).toBe(false);
  });
});
