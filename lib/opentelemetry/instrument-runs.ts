import { trace, type Attributes, type TracerProvider } from '@opentelemetry/api';
import { runStates$ } from '../internal/engine/bus.js';
import { installBodyWrapper } from '../internal/engine/body-wrapper.js';
import type { RunInfo } from '../internal/run-scope.js';
import { RunSpans } from './internal/run-spans.js';
import { describeKind } from '../internal/describe-kind.js';

/**
 * Options of {@link instrumentRuns}.
 * @example
 * ```ts
 * instrumentRuns({ tracerProvider: provider, spanName: (run) => `${run.kind} ${run.definitionName}` });
 * ```
 */
export interface InstrumentRunsOptions {
  /**
   * Where the spans go. The global provider is a proxy: spans start flowing once an SDK
   * registers itself, and nothing is recorded before.
   * @default the global provider, `trace.getTracerProvider()`
   */
  tracerProvider?: TracerProvider;
  /**
   * Make each run's span the active OpenTelemetry context while its body runs, so spans the
   * body starts (an instrumented HTTP client, your own) nest under the run's span. Needs a
   * context manager, which the Node SDK registers.
   * @default true
   */
  activeContext?: boolean;
  /**
   * The span's name. Run names (`double-a3f`) are unique per run; return
   * `run.definitionName` for names your tracing backend can group.
   * @default (run) => run.name
   */
  spanName?: (run: RunInfo) => string;
  /** Extra attributes for a run's span, set when it starts (such as chosen parameter values). */
  attributes?: (run: RunInfo) => Attributes;
  /**
   * Record each parameter's type as `rxflow.run.parameter.<name>`; values are never recorded
   * (use `attributes` for values you know are safe to export).
   * @default true
   */
  parameterTypes?: boolean;
}

/**
 * What {@link instrumentRuns} returns: the instrumentation in progress, and how to stop it.
 * @example
 * ```ts
 * const instrumentation = instrumentRuns();
 * process.on('beforeExit', () => instrumentation.unsubscribe());
 * ```
 */
export interface RunInstrumentation {
  /** How many runs have a span open (runs started and not yet ended). */
  readonly activeSpans: number;
  /** True once {@link RunInstrumentation.unsubscribe} was called. */
  readonly closed: boolean;
  /**
   * Stops: no span starts from now on, bodies no longer run in a span's context, and the spans
   * of runs still going end at their last state seen, with `rxflow.span.incomplete: true`.
   * Calling it again does nothing.
   */
  unsubscribe(): void;
}

const OPTION_TYPES = {
  tracerProvider: 'object',
  activeContext: 'boolean',
  spanName: 'function',
  attributes: 'function',
  parameterTypes: 'boolean',
} as const;

/**
 * Traces every flow run and task run of this process with OpenTelemetry, from now until
 * `unsubscribe()`: one span per run, child of the span of the run that started it (a root run's
 * span is a child of the span active where it was called). Its start and end times are the
 * run's first and last state timestamps, from the engine clock, so virtual time gives virtual
 * spans; each state transition is a span event (`Running`, `AwaitingRetry`, `Retrying`, ...);
 * the final state, attempt count and retries are span attributes; a `Failed`, `TimedOut` or
 * `Crashed` run records its error as an exception and sets the status to ERROR. See
 * {@link SPAN_ATTRIBUTES} for the attribute names.
 *
 * It uses `@opentelemetry/api` only: without an SDK every span is a no-op. Nothing is traced
 * until you call it (importing `rxflow/opentelemetry` has no effect); call it once at start-up.
 * @example
 * ```ts
 * import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
 * import { instrumentRuns } from 'rxflow/opentelemetry';
 *
 * const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
 * const instrumentation = instrumentRuns({ tracerProvider: provider });
 * await etl('2024-06-01'); // one span for the flow run, one child span per task run
 * instrumentation.unsubscribe();
 * await provider.shutdown();
 * ```
 */
export function instrumentRuns(options: InstrumentRunsOptions = {}): RunInstrumentation {
  validate(options);
  const {
    tracerProvider = trace.getTracerProvider(),
    activeContext = true,
    spanName = runName,
    attributes,
    parameterTypes = true,
  } = options;
  const spans = new RunSpans(tracerProvider.getTracer('rxflow'), { spanName, attributes, parameterTypes });
  const subscription = runStates$.subscribe((event) => spans.observe(event));
  const uninstall = activeContext ? installBodyWrapper(spans.wrapBody) : undefined;
  let closed = false;
  return {
    get activeSpans() {
      return spans.size;
    },
    get closed() {
      return closed;
    },
    unsubscribe() {
      if (closed) return;
      closed = true;
      subscription.unsubscribe();
      uninstall?.();
      spans.close();
    },
  };
}

function runName(run: RunInfo): string {
  return run.name;
}

function validate(options: unknown): asserts options is InstrumentRunsOptions {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`instrumentRuns: expected an options object, got ${describeKind(options)}`);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(key in OPTION_TYPES)) {
      throw new TypeError(
        `instrumentRuns: unknown option '${key}' (known: ${Object.keys(OPTION_TYPES).join(', ')})`,
      );
    }
    const expected = OPTION_TYPES[key as keyof typeof OPTION_TYPES];
    const ok =
      key === 'tracerProvider'
        ? value !== null &&
          typeof value === 'object' &&
          typeof (value as { getTracer?: unknown }).getTracer === 'function'
        : typeof value === expected;
    if (!ok) {
      const what = key === 'tracerProvider' ? 'a TracerProvider (an object with getTracer)' : `a ${expected}`;
      throw new TypeError(
        `instrumentRuns: expected option '${key}' to be ${what}, got ${describeKind(value)}`,
      );
    }
  }
}
