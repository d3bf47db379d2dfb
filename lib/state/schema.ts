import * as z from 'zod/mini';
import { englishUnlessConfigured as en } from '../internal/zod-issues.js';

/** The nine run state types, as in Prefect. */
export const StateTypeSchema = z.enum(
  ['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLING', 'CANCELLED', 'CRASHED', 'PAUSED'],
  en,
);

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
export const StateDetailsSchema = z.object(
  {
    scheduledTime: z.optional(z.date(en)),
    cacheKey: z.optional(z.string(en)),
    cacheExpiration: z.optional(z.date(en)),
    runCount: z.optional(z.number(en).check(z.int(en), z.nonnegative(en))),
  },
  en,
);

/** Extra facts some states carry: the retry time of `AwaitingRetry`, a cache key, the attempt number. */
export type StateDetails = z.infer<typeof StateDetailsSchema>;

const variant = <T extends StateType>(type: T) =>
  z.readonly(
    z.object(
      {
        type: z.literal(type, en),
        name: z.enum(STATE_NAMES[type] as unknown as [string, ...string[]], en),
        timestamp: z.date(en),
        message: z.optional(z.string(en)),
        data: z.optional(z.unknown()),
        error: z.optional(z.unknown()),
        details: z.optional(StateDetailsSchema),
      },
      en,
    ),
  );

/**
 * The zod schema of a run state (a `zod/mini` schema: `parse`, `safeParse`, `z.infer` as usual;
 * its messages are zod's English ones once a locale is configured, as `import 'zod'` does): a
 * union discriminated on `type`, each type allowing only its own names. Use it to validate
 * states that crossed a process boundary.
 * @example
 * ```ts
 * const state = StateSchema.parse(JSON.parse(text, reviveDates));
 * ```
 */
export const StateSchema = z.discriminatedUnion(
  'type',
  [
    variant('SCHEDULED'),
    variant('PENDING'),
    variant('RUNNING'),
    variant('COMPLETED'),
    variant('FAILED'),
    variant('CANCELLING'),
    variant('CANCELLED'),
    variant('CRASHED'),
    variant('PAUSED'),
  ],
  en,
);

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
