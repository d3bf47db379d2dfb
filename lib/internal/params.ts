/**
 * @internal Parameter names read from a function's source, once, at definition time.
 * A destructured parameter has no name: it is recorded positionally (`'0'`, `'1'`, …).
 * A rest parameter records the remaining arguments as an array under its name.
 */
export interface ParameterSpec {
  readonly names: readonly (string | undefined)[];
  readonly rest: string | undefined;
  /** True when the names come from the `parameterNames` option rather than the source. */
  readonly explicit?: boolean;
}

export function readParameters(fn: (...args: never[]) => unknown): ParameterSpec {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return { names: [], rest: undefined };
  }
  source = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const bare = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (bare) return { names: [bare[1]], rest: undefined };
  const open = source.indexOf('(');
  if (open < 0) return { names: [], rest: undefined };
  const params = splitTopLevel(source, open + 1);
  const names: (string | undefined)[] = [];
  let rest: string | undefined;
  for (const raw of params) {
    const param = raw.trim();
    if (param === '') continue;
    if (param.startsWith('...')) {
      const name = /^\.\.\.\s*([A-Za-z_$][\w$]*)/.exec(param);
      rest = name?.[1] ?? String(names.length);
      break;
    }
    const name = /^([A-Za-z_$][\w$]*)\s*(?:=|$)/.exec(param);
    names.push(name?.[1]);
  }
  return { names, rest };
}

/** Splits the parameter list starting at `start` (just after the opening paren) on top-level commas. */
function splitTopLevel(source: string, start: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = start;
  for (let i = start; i < source.length; i++) {
    const ch = source[i]!;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) {
        parts.push(source.slice(from, i));
        return parts;
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  return parts;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** @internal Records `args` by parameter name. */
export function bindParameters(
  spec: ParameterSpec,
  args: readonly unknown[],
): Readonly<Record<string, unknown>> {
  const n = args.length;
  if (n === 0) return EMPTY;
  const out: Record<string, unknown> = {};
  const { names, rest } = spec;
  let i = 0;
  for (; i < n && i < names.length; i++) out[names[i] ?? String(i)] = args[i];
  if (i < n) {
    if (rest !== undefined) out[rest] = args.slice(i);
    else for (; i < n; i++) out[String(i)] = args[i];
  }
  return out;
}

/**
 * @internal The spec a `parameterNames` option gives (`['symbol', '...rest']`), checked: unique,
 * non-empty names, `...` only on the last, and as many as the function's source declares (when
 * the source can be read). A bundler may rename parameters, never these strings.
 */
export function namedParameters(
  given: readonly string[],
  parsed: ParameterSpec,
  fail: (problem: string) => never,
): ParameterSpec {
  const names: string[] = [];
  let rest: string | undefined;
  given.forEach((raw, i) => {
    const isRest = raw.startsWith('...');
    const name = isRest ? raw.slice(3) : raw;
    if (name === '') fail(`entry ${i} is ${JSON.stringify(raw)}: a parameter name must not be empty`);
    if (isRest && i !== given.length - 1)
      fail(`only the last entry may name a rest parameter ('...${name}' is entry ${i} of ${given.length})`);
    if (names.includes(name) || rest === name) fail(`'${name}' is named twice`);
    if (isRest) rest = name;
    else names.push(name);
  });
  const declared = parsed.names.length + (parsed.rest === undefined ? 0 : 1);
  // A bound or native function shows no parameters in its source: nothing to compare with.
  if (
    declared > 0 &&
    (parsed.names.length !== names.length || (parsed.rest === undefined) !== (rest === undefined))
  ) {
    const shape = (n: number, r: boolean) =>
      `${n} parameter${n === 1 ? '' : 's'}${r ? ' and a rest parameter' : ''}`;
    fail(
      `it names ${shape(names.length, rest !== undefined)}, but the function declares ${shape(parsed.names.length, parsed.rest !== undefined)}: give one name per parameter, in order ('...name' for a rest parameter)`,
    );
  }
  return { names, rest, explicit: true };
}

/**
 * @internal The problem to report when `subject` (`"the template refers to '{symbol}'"`, `"it
 * excludes 'verbose'"`) names a parameter `spec` lacks. Names read from source may be the
 * culprit (minification renames `(symbol) => …` to `(e) => …`), so the message says how to name
 * them for good.
 */
export function notAParameter(spec: ParameterSpec, subject: string, owner: string): string {
  const list = [...spec.names, ...(spec.rest === undefined ? [] : [`...${spec.rest}`])].join(', ');
  if (spec.explicit) return `${subject}, which is not in the parameterNames of ${owner} (${list})`;
  return (
    `${subject}, which is not a parameter of ${owner} (parameters read from its source: ${list === '' ? 'none' : list}); ` +
    `if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)`
  );
}

/** @internal Every name a template may refer to, or undefined when some cannot be known. */
export function knownNames(spec: ParameterSpec): Set<string> | undefined {
  if (spec.names.some((n) => n === undefined)) return undefined;
  const names = new Set(spec.names as string[]);
  if (spec.rest !== undefined) names.add(spec.rest);
  return names;
}
