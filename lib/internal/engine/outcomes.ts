import { match } from 'ts-pattern';
import { StateTypeSchema, type StateType } from '../../state/schema.js';
import type { HookKind } from '../options.js';

/**
 * @internal Tables derived once from exhaustive ts-pattern matches, so adding a state type is a
 * compile error here, and the hot path pays a property read instead of a match per state.
 */
function hookFor(type: StateType): HookKind | undefined {
  return match(type)
    .returnType<HookKind | undefined>()
    .with('RUNNING', () => 'onRunning')
    .with('COMPLETED', () => 'onCompletion')
    .with('FAILED', () => 'onFailure')
    .with('CANCELLED', () => 'onCancellation')
    .with('CRASHED', () => 'onCrashed')
    .with('SCHEDULED', 'PENDING', 'CANCELLING', 'PAUSED', () => undefined)
    .exhaustive();
}

/** How a caller's promise settles when a run stops in a state of this type. */
export type Outcome = 'resolve' | 'reject' | 'not-ready';

function outcomeFor(type: StateType): Outcome {
  return match(type)
    .returnType<Outcome>()
    .with('COMPLETED', () => 'resolve')
    .with('FAILED', 'CRASHED', 'CANCELLED', 'CANCELLING', 'PAUSED', 'SCHEDULED', 'RUNNING', () => 'reject')
    .with('PENDING', () => 'not-ready')
    .exhaustive();
}

const table = <V>(f: (t: StateType) => V): Readonly<Record<StateType, V>> =>
  Object.freeze(Object.fromEntries(StateTypeSchema.options.map((t) => [t, f(t)])) as Record<StateType, V>);

/** @internal Which hook list fires for a state of each type. */
export const HOOK_BY_TYPE = table(hookFor);
/** @internal How a call settles for a last state of each type. */
export const OUTCOME_BY_TYPE = table(outcomeFor);
