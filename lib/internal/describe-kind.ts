/** @internal A bad option value's kind for error messages: `null`, `a function`, `an array`, `'text'`, `42`. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return typeof value === 'string' ? `'${value}'` : String(value);
}
