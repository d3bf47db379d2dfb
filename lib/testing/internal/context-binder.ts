import { contextPropagatesAcrossAwait, currentFrame, runInFrame } from '../../internal/context.js';

/** @internal Runs a callback in the async context captured when the runner was made. */
export interface ContextRunner {
  <R>(fn: () => R): R;
  /** Releases the captured context once no callback will run in it any more. */
  dispose?: () => void;
}

/**
 * Where frames follow awaits, a real timer callback runs in the frame that set the timer; a
 * virtual one must too, or a retry fired by the driver would lose its run's clock. Without
 * such propagation (the browser build) real timers do not carry frames either, so neither do we.
 */
function captureFrame(): ContextRunner {
  if (!contextPropagatesAcrossAwait()) return runDirectly;
  const frame = currentFrame();
  return (fn) => runInFrame(frame, fn);
}

function runDirectly<R>(fn: () => R): R {
  return fn();
}

let capture: () => ContextRunner = captureFrame;

/** @internal Captures the current async context for a callback that runs later. */
export function captureContext(): ContextRunner {
  return capture();
}

/** @internal The Node entry replaces frame capture with full async-context capture. */
export function setContextCapture(next: () => ContextRunner): void {
  capture = next;
}
