/** @internal Whether `value` is a plain object: made by `{}` or `Object.create(null)`, not a class instance. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
