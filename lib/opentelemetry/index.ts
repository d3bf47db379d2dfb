/**
 * `rxflow/opentelemetry`: traces flow runs and task runs with OpenTelemetry.
 *
 * {@link instrumentRuns} turns every run into a span: flow run → task run → subflow run → task
 * run, parent to child, with the run's identity, tags, final state and retries as attributes
 * and each state transition as a span event. It depends on `@opentelemetry/api` only (an
 * optional peer dependency of rxflow: install it where you import this entry); register any
 * OpenTelemetry SDK to export the spans, or pass a `tracerProvider`.
 * @example
 * ```ts
 * import { NodeSDK } from '@opentelemetry/sdk-node';
 * import { instrumentRuns } from 'rxflow/opentelemetry';
 *
 * new NodeSDK({ traceExporter }).start();
 * instrumentRuns();
 * ```
 * @packageDocumentation
 */
export { instrumentRuns } from './instrument-runs.js';
export type { InstrumentRunsOptions, RunInstrumentation } from './instrument-runs.js';
export { SPAN_ATTRIBUTES } from './span-attributes.js';
