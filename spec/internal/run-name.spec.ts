import { compileRunName } from '../../lib/internal/run-name';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('compileRunName', () => {
  it('should list the keys and render parameters by name', () => {
    const template = compileRunName('load-{table}-{ limit }', fail);
    expect(template.keys).toEqual(['table', 'limit']);
    expect(template.render({ table: 'users', limit: 10 })).toBe('load-users-10');
  });

  it('should format dates with the date-fns format after a colon', () => {
    const template = compileRunName('hello-{name}-on-{date:EEEE}-{date:yyyy-MM-dd}', fail);
    expect(template.render({ name: 'marvin', date: new Date(2024, 0, 1) })).toBe(
      'hello-marvin-on-Monday-2024-01-01',
    );
  });

  it('should format numeric and string timestamps as dates', () => {
    const template = compileRunName('{at:yyyy}', fail);
    expect(template.render({ at: new Date(2030, 5, 1).getTime() })).toBe('2030');
    expect(template.render({ at: '2031-02-03T00:00:00' })).toBe('2031');
  });

  it('should render objects as JSON, dates without a format as ISO strings, and missing values as undefined', () => {
    const template = compileRunName('{o}|{d}|{missing}', fail);
    expect(template.render({ o: { a: [1] }, d: new Date(Date.UTC(2024, 1, 2)) })).toBe(
      '{"a":[1]}|2024-02-02T00:00:00.000Z|undefined',
    );
  });

  it('should fall back to the plain value when a formatted value is not a date', () => {
    expect(compileRunName('{x:yyyy}', fail).render({ x: 'not a date' })).toBe('not a date');
  });

  it('should leave text without placeholders as it is', () => {
    const template = compileRunName('static-name', fail);
    expect(template.keys).toEqual([]);
    expect(template.render({})).toBe('static-name');
  });

  it('should reject a bad date format at compile time', () => {
    expect(() => compileRunName('{d:yyyy-jj}', fail)).toThrowErrorMatchingInlineSnapshot(
      `"the date format 'yyyy-jj' in '{d:yyyy-jj}' is invalid: Format string contains an unescaped latin alphabet character \`j\`"`,
    );
  });
});
