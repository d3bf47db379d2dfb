import { OptionValidationError } from '../../errors/option-validation-error.js';
import { define, type Definition, type HookKind } from '../options.js';
import { parseFlowParameters } from '../flow-parameters.js';
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
 * `run$` observes a run, `withOptions` re-defines with merged options (validated again), `bind`
 * fixes the body's `this`, and one registrar per hook kind adds hooks after definition.
 */
export function makeCallable<C>(def: Definition, options: object): C {
  // A `function`, not an arrow: called as a method (`o.f(3)`), the body gets `o` as `this`,
  // as Prefect binds a flow defined on a class to its instance. A bound one keeps its own.
  const callable = function (this: unknown, ...args: unknown[]) {
    return callRun(def, callable, args, def.self !== undefined ? def.self : this);
  } as unknown as Members;
  Object.defineProperty(callable, 'name', { value: def.name });
  callable.run$ = (...args: unknown[]) => observeRun(def, callable, args);
  if (def.kind === 'task') {
    callable.submit = (...args: unknown[]) => submitRun(def, callable, args);
    callable.submitWith = (opts: SubmitOptions, ...args: unknown[]) => submitRun(def, callable, args, opts);
    callable.map = (...iterables: unknown[]) => mapTask(def, callable, iterables);
    callable.mapWith = (opts: SubmitOptions, ...iterables: unknown[]) =>
      mapTask(def, callable, iterables, opts);
  } else {
    callable.validateParameters = (...args: unknown[]) => parseFlowParameters(def, args);
  }
  callable.withOptions = (more: object) => {
    const merged = { ...withCurrentHooks(options, def), ...more };
    return makeCallable(boundTo(define(def.kind, merged, def.fn), def.self), merged);
  };
  callable.bind = (...bindArgs: unknown[]) => {
    if (bindArgs.length !== 1) {
      throw new TypeError(
        `${def.kind} '${def.name}'.bind takes exactly one argument, the body's \`this\` (got ${bindArgs.length}); ` +
          `to fix arguments as well, define a ${def.kind} whose body calls the function with them`,
      );
    }
    return makeCallable(boundTo(def, bindArgs[0]), options);
  };
  for (const kind of HOOKS[def.kind]) callable[kind] = registrar(callable, def, kind);
  Object.defineProperty(callable, 'fn', { value: def.fn, enumerable: true });
  Object.defineProperty(callable, 'options', { value: Object.freeze({ ...options }), enumerable: true });
  return callable as C;
}

/**
 * The definition with `self` as the body's `this`: a view that shares the definition's hook
 * lists, so a hook added to either is called for runs of both.
 */
function boundTo(def: Definition, self: unknown): Definition {
  return self === undefined ? def : { ...def, self };
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
