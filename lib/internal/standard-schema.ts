import type * as z from 'zod/mini';
import { $ZodAsyncError } from 'zod/v4/core';
import { isThenable } from './is-thenable.js';

/**
 * The Standard Schema interface (standardschema.dev), which zod (classic and mini, v3.24 and
 * later), valibot, arktype and others implement: what a flow's `parameters` option accepts.
 * Copied, as the standard asks, rather than depended on.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The standard's properties: its version, vendor, `validate` and (for inference) `types`. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/** The types of the {@link StandardSchemaV1} interface. */
// eslint-disable-next-line @typescript-eslint/no-namespace -- the standard's own shape (StandardSchemaV1.InferOutput<S>); types only
export declare namespace StandardSchemaV1 {
  /** What a Standard Schema carries under `~standard`. */
  export interface Props<Input = unknown, Output = Input> {
    /** The version of the standard: 1. */
    readonly version: 1;
    /** The library: `'zod'`, `'valibot'`, `'arktype'` … */
    readonly vendor: string;
    /** Checks `value`; may return a promise (rxflow then fails the run: parameters are checked synchronously). */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** Input and output types, for inference only. */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** The outcome of `validate`. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** A value that passed, as the schema outputs it (defaults applied, transforms run). */
  export interface SuccessResult<Output> {
    /** The schema's output. */
    readonly value: Output;
    /** Absent on success. */
    readonly issues?: undefined;
  }
  /** A value that did not pass. */
  export interface FailureResult {
    /** Every problem found. */
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem. */
  export interface Issue {
    /** What is wrong, in the schema library's words. */
    readonly message: string;
    /** Where, from the root of the value. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path step given as an object. */
  export interface PathSegment {
    /** The key of the step. */
    readonly key: PropertyKey;
  }
  /** Input and output types of a schema. */
  export interface Types<Input = unknown, Output = Input> {
    /** What the schema accepts. */
    readonly input: Input;
    /** What it returns. */
    readonly output: Output;
  }
  /** The input type of a Standard Schema. */
  export type InferInput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['input'];
  /** The output type of a Standard Schema. */
  export type InferOutput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['output'];
}

/** @internal Whether `value` implements the Standard Schema interface (version 1). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    const props = (value as { '~standard'?: unknown })['~standard'];
    return (
      typeof props === 'object' &&
      props !== null &&
      (props as { version?: unknown }).version === 1 &&
      typeof (props as { validate?: unknown }).validate === 'function'
    );
  } catch {
    return false;
  }
}

/** @internal What checking a value against a schema gave. */
export type SchemaOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'issues'; readonly issues: readonly z.core.$ZodIssue[] }
  /** The schema is asynchronous; `error` is zod's own error saying so, when zod said it. */
  | { readonly kind: 'async'; readonly error: unknown }
  | { readonly kind: 'threw'; readonly error: unknown };

interface ZodLike {
  readonly _zod: object;
  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: z.core.$ZodIssue[] } };
}

/**
 * @internal Checks `input` against a user's schema, synchronously; never throws. A zod schema
 * (classic or mini) is parsed with its own `safeParse`, so its issues are zod's, with their codes;
 * any other Standard Schema through `~standard.validate`, its issues given as zod `custom` issues
 * (`path` and `message` kept). A promise from `validate` is never awaited (its rejection is
 * handled): the outcome is `async`.
 */
export function checkSchema(schema: StandardSchemaV1, input: unknown): SchemaOutcome {
  try {
    if (isZod(schema)) {
      const parsed = schema.safeParse(input);
      return parsed.success
        ? { kind: 'value', value: parsed.data }
        : { kind: 'issues', issues: parsed.error.issues };
    }
    const result = schema['~standard'].validate(input);
    if (isThenable(result)) {
      Promise.resolve(result).catch(() => undefined);
      return { kind: 'async', error: undefined };
    }
    if (result.issues === undefined) return { kind: 'value', value: result.value };
    return { kind: 'issues', issues: result.issues.map(toZodIssue) };
  } catch (error) {
    return isZodAsyncError(error) ? { kind: 'async', error } : { kind: 'threw', error };
  }
}

function isZod(schema: StandardSchemaV1): schema is StandardSchemaV1 & ZodLike {
  const s = schema as Partial<ZodLike>;
  return typeof s._zod === 'object' && s._zod !== null && typeof s.safeParse === 'function';
}

/** zod's "Encountered Promise during synchronous parse" error (also from another copy of zod 4). */
function isZodAsyncError(error: unknown): boolean {
  try {
    return (
      error instanceof $ZodAsyncError ||
      (error instanceof Error && error.message.startsWith('Encountered Promise during synchronous parse'))
    );
  } catch {
    return false;
  }
}

function toZodIssue(issue: StandardSchemaV1.Issue): z.core.$ZodIssueCustom {
  const path = (issue.path ?? []).map((step) =>
    typeof step === 'object' && step !== null ? step.key : step,
  );
  return { code: 'custom', path, message: String(issue.message) };
}
