import { functionName, safeString } from '../internal/describe-kind.js';

/**
 * @internal `console.log`'s arguments as one message, the way Node joins them: a leading string
 * may hold `%s %d %i %f %j %o %O %c %%` substitutions; the rest are appended, separated by
 * spaces, strings as they are and other values in a compact JSON-like form. Never throws:
 * `console.log('%d', Symbol())` under `logPrints` must not throw into the run's body.
 */
export function formatArgs(args: readonly unknown[]): string {
  if (args.length === 0) return '';
  let rest = 0;
  let head = '';
  const first = args[0];
  if (typeof first === 'string' && first.includes('%') && args.length > 1) {
    let next = 1;
    head = first.replace(/%([sdifjoOc%])/g, (match, spec: string) => {
      if (spec === '%') return '%';
      if (next >= args.length) return match;
      const value = args[next++];
      switch (spec) {
        case 's':
          return typeof value === 'string' ? value : inspect(value);
        case 'd':
        case 'i': {
          if (typeof value === 'bigint') return `${value}n`;
          const n = toNumber(value);
          return String(spec === 'i' ? Math.trunc(n) : n);
        }
        case 'f':
          return String(typeof value === 'symbol' ? NaN : Number.parseFloat(safeString(value)));
        case 'c':
          return ''; // CSS in browsers: nothing to show in a log record
        default:
          return inspect(value);
      }
    });
    rest = next;
  } else {
    head = typeof first === 'string' ? first : inspect(first);
    rest = 1;
  }
  let out = head;
  for (let i = rest; i < args.length; i++) {
    const value = args[i];
    out += ' ' + (typeof value === 'string' ? value : inspect(value));
  }
  return out;
}

/** @internal A value in one line: primitives as `String`, errors with their stack, objects as JSON (cycles marked). */
export function inspect(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return `[Function: ${functionName(value)}]`;
    case 'symbol':
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
  }
  if (value === null) return 'null';
  try {
    if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  } catch {
    // A getter that throws, a revoked Proxy: the guarded forms below.
    return safeString(value);
  }
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, function (this: unknown, _key: string, v: unknown) {
        if (typeof v === 'bigint') return `${v}n`;
        if (typeof v === 'function') return `[Function: ${v.name || 'anonymous'}]`;
        if (typeof v === 'symbol' || v === undefined) return String(v);
        if (v instanceof Error) return `${v.name}: ${v.message}`;
        if (v instanceof Map) return Object.fromEntries(v);
        if (v instanceof Set) return [...v];
        if (v !== null && typeof v === 'object') {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? String(value)
    );
  } catch {
    return safeString(value);
  }
}

/** `Number(value)` as `%d` shows it: NaN where that throws (a Symbol, an object with no `valueOf`). */
function toNumber(value: unknown): number {
  if (typeof value === 'symbol') return NaN;
  try {
    return Number(value);
  } catch {
    return NaN;
  }
}
