import { z } from 'zod';

/** The nine run state types, as in Prefect. */
export const StateTypeSchema = z.enum([
  'SCHEDULED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
  'CRASHED',
  'PAUSED',
]);

/** A run state's type: what the run is doing, independent of the state's display name. */
export type StateType = z.infer<typeof StateTypeSchema>;

/** Which names each state type may carry. */
export const STATE_NAMES = {
  SCHEDULED: ['Scheduled', 'Late', 'AwaitingRetry', 'AwaitingConcurrencySlot'],
  PENDING: ['Pending', 'NotReady'],
  RUNNING: ['Running', 'Retrying'],
  COMPLETED: ['Completed', 'Cached'],
  FAILED: ['Failed', 'TimedOut'],
  CANCELLING: ['Cancelling'],
  CANCELLED: ['Cancelled'],
  CRASHED: ['Crashed'],
  PAUSED: ['Paused', 'Suspended'],
} as const satisfies Record<StateType, readonly string[]>;

/** Every state name, such as `'AwaitingRetry'` (SCHEDULED) or `'TimedOut'` (FAILED). */
export type StateName = (typeof STATE_NAMES)[StateType][number];

/** Extra facts some states carry. */
export const StateDetailsSchema = z.object({
  scheduledTime: z.date().optional(),
  cacheKey: z.string().optional(),
  cacheExpiration: z.date().optional(),
  runCount: z.number().int().nonnegative().optional(),
});

/** Extra facts some states carry: the retry time of `AwaitingRetry`, a cache key, the attempt number. */
export type StateDetails = z.infer<typeof StateDetailsSchema>;

const variant = <T extends StateType>(type: T) =>
  z
    .object({
      type: z.literal(type),
      name: z.enum(STATE_NAMES[type] as unknown as [string, ...string[]]),
      timestamp: z.date(),
      message: z.string().optional(),
      data: z.unknown().optional(),
      error: z.unknown().optional(),
      details: StateDetailsSchema.optional(),
    })
    .readonly();

/**
 * The zod schema of a run state: a union discriminated on `type`, each type allowing only its
 * own names. Use it to validate states that crossed a process boundary.
 * @example
 * ```ts
 * const state = StateSchema.parse(JSON.parse(text, reviveDates));
 * ```
 */
export const StateSchema = z.discriminatedUnion('type', [
  variant('SCHEDULED'),
  variant('PENDING'),
  variant('RUNNING'),
  variant('COMPLETED'),
  variant('FAILED'),
  variant('CANCELLING'),
  variant('CANCELLED'),
  variant('CRASHED'),
  variant('PAUSED'),
]);

interface StateOf<T extends StateType, R> {
  readonly type: T;
  readonly name: (typeof STATE_NAMES)[T][number];
  /** When the run entered this state, by the engine clock (virtual under `rxflow/testing`). */
  readonly timestamp: Date;
  readonly message?: string;
  /** COMPLETED: the run's result. */
  readonly data?: R;
  /** FAILED / CRASHED: what the run threw. */
  readonly error?: unknown;
  readonly details?: Readonly<StateDetails>;
}

/**
 * A run state: plain, frozen, serialisable data. Narrow on `type` (or match it with ts-pattern)
 * to get the names that type allows.
 * @example
 * ```ts
 * if (state.type === 'COMPLETED') console.log(state.name, state.data); // 'Completed' | 'Cached'
 * ```
 */
export type State<R = unknown> = {
  [T in StateType]: StateOf<T, R>;
}[StateType];
