import { OptionValidationError } from '../../errors/option-validation-error.js';
import { define, type Definition, type HookKind } from '../options.js';
import { submitRun, type SubmitOptions } from '../../futures/submit.js';
import { mapTask } from '../../futures/map-future.js';
import { callRun, observeRun } from './start-run.js';

/** The members a task and a flow share; `C` is the public type being built. */
type Members = Record<string, unknown>;

const HOOKS: Record<Definition['kind'], readonly HookKind[]> = {
  task: ['onCompletion', 'onFailure', 'onRunning'],
  flow: ['onCompletion', 'onFailure', 'onRunning', 'onCancellation', 'onCrashed'],
};

/**
 * @internal Builds the callable object of a task or flow around its definition: calling it runs,
 * `run$` observes a run, `withOptions` re-defines with merged options (validated again), and one
 * registrar per hook kind adds hooks after definition.
 */
export function makeCallable<C>(def: Definition, options: object): C {
  const callable = ((...args: unknown[]) => callRun(def, callable, args)) as unknown as Members;
  Object.defineProperty(callable, 'name', { value: def.name });
  callable.run$ = (...args: unknown[]) => observeRun(def, callable, args);
  if (def.kind === 'task') {
    callable.submit = (...args: unknown[]) => submitRun(def, callable, args);
    callable.submitWith = (opts: SubmitOptions, ...args: unknown[]) => submitRun(def, callable, args, opts);
    callable.map = (...iterables: unknown[]) => mapTask(def, callable, iterables);
    callable.mapWith = (opts: SubmitOptions, ...iterables: unknown[]) =>
      mapTask(def, callable, iterables, opts);
  }
  callable.withOptions = (more: object) => {
    const merged = { ...withCurrentHooks(options, def), ...more };
    return makeCallable(define(def.kind, merged, def.fn), merged);
  };
  for (const kind of HOOKS[def.kind]) callable[kind] = registrar(callable, def, kind);
  Object.defineProperty(callable, 'fn', { value: def.fn, enumerable: true });
  Object.defineProperty(callable, 'options', { value: Object.freeze({ ...options }), enumerable: true });
  return callable as C;
}

/** The hook lists as they are now, including hooks registered after definition. */
function withCurrentHooks(options: object, def: Definition): object {
  const out = { ...options } as Record<string, unknown>;
  for (const [kind, list] of Object.entries(def.hooks)) if (list.length > 0) out[kind] = [...list];
  return out;
}

function registrar(owner: unknown, def: Definition, kind: HookKind): (hook: unknown) => unknown {
  return (hook) => {
    if (typeof hook !== 'function') {
      throw new OptionValidationError(
        `${def.kind} '${def.name}'`,
        kind,
        `expected a hook function, got ${typeof hook}`,
      );
    }
    def.hooks[kind].push(hook as (...args: never[]) => unknown);
    return owner;
  };
}
