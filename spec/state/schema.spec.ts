import fc from 'fast-check';
import { createState } from '../../lib/state/create-state.js';
import {
  STATE_NAMES,
  StateDetailsSchema,
  StateSchema,
  StateTypeSchema,
  type State,
  type StateName,
  type StateType,
} from '../../lib/state/schema.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const TYPES = StateTypeSchema.options;
const PAIRS = TYPES.flatMap((type) =>
  STATE_NAMES[type].map((name) => [type, name] as [StateType, StateName]),
);
const ALL_NAMES = PAIRS.map(([, name]) => name);

describe('StateSchema', () => {
  it('should list names for exactly the nine state types', () => {
    expect(Object.keys(STATE_NAMES).sort()).toEqual([...TYPES].sort());
    expect(TYPES).toHaveLength(9);
  });

  it('should give every name to exactly one type', () => {
    expect(new Set(ALL_NAMES).size).toBe(ALL_NAMES.length);
  });

  it('should accept every state createState makes for a matching type and name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        fc.date({ noInvalidDate: true }),
        fc.option(fc.string(), { nil: undefined }),
        fc.anything(),
        ([type, name], timestamp, message, data) => {
          const state = createState(type, name, timestamp, { message, data });
          const parsed = StateSchema.parse(state);
          expect(parsed).toEqual(state);
          expect(Object.isFrozen(parsed)).toBe(true);
        },
      ),
    );
  });

  it('should reject a name that belongs to another type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.constantFrom(...ALL_NAMES), (type, name) => {
        fc.pre(!(STATE_NAMES[type] as readonly string[]).includes(name));
        expect(StateSchema.safeParse({ type, name, timestamp: new Date(0) }).success).toBe(false);
      }),
    );
  });

  it('should reject unknown types, missing timestamps and non-Date timestamps', () => {
    const ok = { type: 'RUNNING', name: 'Running', timestamp: new Date(0) };
    expect(StateSchema.safeParse(ok).success).toBe(true);
    expect(StateSchema.safeParse({ ...ok, type: 'DONE' }).success).toBe(false);
    expect(StateSchema.safeParse({ type: 'RUNNING', name: 'Running' }).success).toBe(false);
    expect(StateSchema.safeParse({ ...ok, timestamp: '1970-01-01T00:00:00.000Z' }).success).toBe(false);
    expect(StateSchema.safeParse({ ...ok, message: 42 }).success).toBe(false);
  });

  it('should validate details', () => {
    const at = new Date(0);
    const parse = (details: unknown) =>
      StateSchema.safeParse({ type: 'SCHEDULED', name: 'AwaitingRetry', timestamp: at, details }).success;
    expect(parse({ scheduledTime: at, runCount: 2, cacheKey: 'k', cacheExpiration: at })).toBe(true);
    expect(parse({})).toBe(true);
    expect(parse({ runCount: -1 })).toBe(false);
    expect(parse({ runCount: 1.5 })).toBe(false);
    expect(parse({ scheduledTime: 0 })).toBe(false);
    expect(parse({ cacheKey: 1 })).toBe(false);
    expect(StateDetailsSchema.safeParse({ runCount: 0 }).success).toBe(true);
  });

  it('should explain a mismatched name', () => {
    const result = StateSchema.safeParse({ type: 'COMPLETED', name: 'Failed', timestamp: new Date(0) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toMatchInlineSnapshot(`
[
  "name: Invalid option: expected one of "Completed"|"Cached"",
]
`);
  });

  it('should narrow names by type', () => {
    const narrow = (state: State) => (state.type === 'FAILED' ? state.name : undefined);
    type _names = Expect<Equal<ReturnType<typeof narrow>, 'Failed' | 'TimedOut' | undefined>>;
    type _all = Expect<Equal<StateName, (typeof STATE_NAMES)[StateType][number]>>;
    // @ts-expect-error 'Done' is not a state name
    const _bad: StateName = 'Done';
    expect(narrow(createState('FAILED', 'TimedOut', new Date(0)))).toBe('TimedOut');
  });
});
