import { isThenable } from '../../lib/internal/is-thenable';

describe('isThenable', () => {
  it('should recognise promises and foreign thenables, objects and functions alike', () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => {} })).toBe(true);
    const fn = Object.assign(() => {}, { then: () => {} });
    expect(isThenable(fn)).toBe(true);
  });

  it('should reject everything else', () => {
    for (const value of [null, undefined, 0, 'then', {}, { then: 1 }, () => {}])
      expect(isThenable(value)).toBe(false);
  });
});
