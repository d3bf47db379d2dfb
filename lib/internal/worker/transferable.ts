/**
 * @internal Why `value` cannot go to another thread faithfully, or undefined if it can.
 * Structured clone throws on functions and symbols, and silently turns a class instance into a
 * plain object without its methods; both are refused here, naming where in `value` the problem
 * is (`argument 0 at .points[2] is an instance of Point`). Plain objects, arrays, primitives,
 * `Date`, `RegExp`, `Map`, `Set`, `Error`s, `ArrayBuffer`s and typed arrays pass (a `Buffer`
 * arrives as a `Uint8Array`). Brands are read with `Object.prototype.toString`, so values from
 * another realm pass too.
 */
export function findUntransferable(value: unknown, root: string): string | undefined {
  const seen = new Set<object>();
  const where = (path: string) => (path === '' ? root : `${root} at ${path}`);
  const visit = (v: unknown, path: string): string | undefined => {
    if (typeof v === 'function') {
      return `${where(path)} is a function${v.name ? ` (${v.name})` : ''}: functions cannot be sent to another thread`;
    }
    if (typeof v === 'symbol') return `${where(path)} is a symbol: symbols cannot be sent to another thread`;
    if (v === null || typeof v !== 'object' || seen.has(v)) return undefined;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        // Paths are built only for values that need a look inside: long arrays of numbers allocate nothing.
        if (isSimple(v[i])) continue;
        const problem = visit(v[i], `${path}[${i}]`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    if (ArrayBuffer.isView(v)) return undefined;
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    if (tag === 'Error') return undefined;
    const proto = Object.getPrototypeOf(v) as object | null;
    const ctor = proto === null ? undefined : (proto as { constructor?: { name?: unknown } }).constructor;
    const ctorName = typeof ctor?.name === 'string' ? ctor.name : '';
    if (BUILTIN.has(tag) && ctorName === tag) {
      let i = 0;
      if (tag === 'Map') {
        for (const [k, item] of v as Map<unknown, unknown>) {
          const problem = visit(k, `${path}<key ${i}>`) ?? visit(item, `${path}<value ${i}>`);
          if (problem !== undefined) return problem;
          i++;
        }
      } else if (tag === 'Set') {
        for (const item of v as Set<unknown>) {
          const problem = visit(item, `${path}<item ${i++}>`);
          if (problem !== undefined) return problem;
        }
      }
      return undefined;
    }
    const plain = proto === null || (Object.getPrototypeOf(proto) === null && ctorName === 'Object');
    if (!plain) {
      return (
        `${where(path)} is ${ctorName ? `an instance of ${ctorName}` : 'an object with a custom prototype'}: ` +
        'structured clone would drop its prototype and methods; pass plain data'
      );
    }
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      if (isSimple(item)) continue;
      const problem = visit(item, `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
  return visit(value, '');
}

/** A primitive that clones as is (not a symbol). */
function isSimple(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');
}

/** Built-in classes structured clone keeps (when not subclassed). */
const BUILTIN = new Set([
  'Date',
  'RegExp',
  'Map',
  'Set',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Boolean',
  'Number',
  'String',
  'BigInt',
]);
