import { currentFrame } from '../internal/context.js';
import { formatArgs } from './format-args.js';
import type { LogLevel } from './log-record.js';
import { shared } from '../internal/shared.js';
import { printGuard } from './print-guard.js';
import { writeLog } from './write-log.js';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error';

/** The `console` methods `logPrints` captures, and the level each one's records get. */
const CAPTURED: readonly (readonly [ConsoleMethod, LogLevel])[] = [
  ['log', 'info'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
];

interface Installed {
  readonly method: ConsoleMethod;
  readonly original: (...args: unknown[]) => void;
  readonly wrapper: (...args: unknown[]) => void;
}

// One wrapping of `console` for every copy of rxflow in the process (its holders are counted in
// the shared printGuard), so any copy may be the one that takes it off.
const wrapping = shared('consoleWrapping', (): { installed: Installed[] | undefined } => ({
  installed: undefined,
}));

/**
 * @internal Called when a run with `logPrints` (its own or inherited) starts: while at least one
 * such run is going, `console.log/info/warn/error` are wrapped. A wrapped call made in a
 * `logPrints` run's context (on Node, its async context; in the browser build, only while its
 * body runs synchronously) becomes a record of that run; any other call goes to the original
 * method unchanged. With no such run going, `console` is left as it was found.
 */
export function holdConsole(): void {
  if (printGuard.holders++ === 0) install();
}

/** @internal Called when a run that called {@link holdConsole} ends. */
export function releaseConsole(): void {
  if (printGuard.holders > 0 && --printGuard.holders === 0) uninstall();
}

function install(): void {
  wrapping.installed = CAPTURED.map(([method, level]) => {
    const original = console[method] as (...args: unknown[]) => void;
    const wrapper = function (this: unknown, ...args: unknown[]): void {
      if (printGuard.holders > 0 && printGuard.depth === 0) {
        const run = currentFrame(false).run;
        if (run !== undefined && run.logPrints) {
          writeLog(run, level, formatArgs(args), undefined);
          return;
        }
      }
      original.apply(this ?? console, args);
    };
    console[method] = wrapper;
    return { method, original, wrapper };
  });
}

function uninstall(): void {
  // A method someone replaced after us is theirs now: ours stays inside it, passing calls through.
  for (const { method, original, wrapper } of wrapping.installed ?? [])
    if (console[method] === wrapper) console[method] = original;
  wrapping.installed = undefined;
}
