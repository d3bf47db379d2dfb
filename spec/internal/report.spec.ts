import { report, setErrorReporter } from '../../lib/internal/report';

describe('setErrorReporter', () => {
  it('should route reports to the reporter and restore the previous one', () => {
    const seen: [string, unknown][] = [];
    const error = new Error('x');
    const restore = setErrorReporter((message, e) => seen.push([message, e]));
    report('hook failed', error);
    restore();
    expect(seen).toEqual([['hook failed', error]]);
  });

  it('should write to console.error by default', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      report('hook failed', 'why');
      expect(spy).toHaveBeenCalledWith('[rxflow] hook failed', 'why');
    } finally {
      spy.mockRestore();
    }
  });

  it('should swallow a reporter that throws', () => {
    const restore = setErrorReporter(() => {
      throw new Error('broken reporter');
    });
    try {
      expect(() => report('m', 1)).not.toThrow();
    } finally {
      restore();
    }
  });
});
