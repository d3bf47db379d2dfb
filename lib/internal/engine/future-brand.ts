/**
 * @internal Marks task run futures, so the engine can recognise a future a flow returns
 * without importing the futures module (imports run one way: futures → engine).
 */
export const FUTURE_BRAND: unique symbol = Symbol.for('rxflow.TaskRunFuture');
