/**
 * A value `task.map` passes whole to every run; made by {@link unmapped}.
 * @example
 * ```ts
 * const config: Unmapped<{ region: string }> = unmapped({ region: 'eu' });
 * ```
 */
export class Unmapped<T = unknown> {
  /** @internal */
  constructor(readonly value: T) {}
}

/**
 * Passes the same value to every run of `task.map` instead of iterating it (Prefect's `unmapped`).
 * @example
 * ```ts
 * const add = task((x: number, y: number) => x + y);
 * await add.map([1, 2, 3], unmapped(10)).result(); // [11, 12, 13]
 * ```
 */
export function unmapped<T>(value: T): Unmapped<T> {
  return new Unmapped(value);
}
