/** @internal Cheap checks for operator configs (operators are built per run; zod is for definitions). */
export function assertNonNegative(owner: string, option: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
    throw new RangeError(
      `${owner}: expected ${option} to be a non-negative finite number, got ${String(value)}`,
    );
  }
}

/** @internal */
export function assertNonNegativeInteger(owner: string, option: string, value: unknown): void {
  assertNonNegative(owner, option, value);
  if (!Number.isInteger(value)) {
    throw new RangeError(`${owner}: expected ${option} to be a non-negative integer, got ${String(value)}`);
  }
}

/** @internal A delay option: one non-negative number, or a list of them. */
export function assertDelays(owner: string, option: string, value: unknown): void {
  if (Array.isArray(value)) value.forEach((d, i) => assertNonNegative(owner, `${option}[${i}]`, d));
  else assertNonNegative(owner, option, value);
}
