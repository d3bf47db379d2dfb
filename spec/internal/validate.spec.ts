import { assertDelays, assertNonNegative, assertNonNegativeInteger } from '../../lib/internal/validate';

const message = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

describe('validate', () => {
  it('should accept non-negative finite numbers, integers and delay lists', () => {
    expect(() => assertNonNegative('op', 'x', 0)).not.toThrow();
    expect(() => assertNonNegative('op', 'x', 1.5)).not.toThrow();
    expect(() => assertNonNegativeInteger('op', 'n', 3)).not.toThrow();
    expect(() => assertDelays('op', 'd', [0, 2.5])).not.toThrow();
    expect(() => assertDelays('op', 'd', [])).not.toThrow();
  });

  it('should name the owner, the option and the bad value', () => {
    expect({
      negative: message(() => assertNonNegative('op', 'x', -1)),
      nan: message(() => assertNonNegative('op', 'x', NaN)),
      infinity: message(() => assertNonNegative('op', 'x', Infinity)),
      string: message(() => assertNonNegative('op', 'x', '1')),
      fraction: message(() => assertNonNegativeInteger('op', 'n', 1.5)),
      listElement: message(() => assertDelays('op', 'd', [1, -2])),
    }).toMatchInlineSnapshot(`
     {
       "fraction": "RangeError: op: expected n to be a non-negative integer, got 1.5",
       "infinity": "RangeError: op: expected x to be a non-negative finite number, got Infinity",
       "listElement": "RangeError: op: expected d[1] to be a non-negative finite number, got -2",
       "nan": "RangeError: op: expected x to be a non-negative finite number, got NaN",
       "negative": "RangeError: op: expected x to be a non-negative finite number, got -1",
       "string": "RangeError: op: expected x to be a non-negative finite number, got 1",
     }
    `);
  });
});
