import type { Clock } from './clock.js';
import { DEFAULT_RANDOM } from './clock.js';
import { shared } from './shared.js';

const HEX = '0123456789abcdef';

// A random 80-bit prefix per process, then a counter: ids are UUID-shaped (version 4 nibble
// and variant bits set), unique in the process by construction and across processes by the
// prefix, and cost a counter increment instead of a CSPRNG call per run (about 0.3 µs). Every
// copy of rxflow in the process counts on the one counter (see shared.ts).
const counter = shared('runIds', (): { prefix: string | undefined; high: string; low: number } => ({
  prefix: undefined,
  high: '',
  low: 0xffffff,
}));

function processPrefix(): string {
  const bytes = new Uint8Array(10);
  if (typeof globalThis.crypto?.getRandomValues === 'function') globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(DEFAULT_RANDOM() * 256);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${HEX[8 + (bytes[8]! & 3)]}${hex.slice(17, 20)}-`;
}

let lastId = '';
let lastSuffix = '';
const SUFFIXES = Array.from({ length: 4096 }, (_, i) => (0x1000 | i).toString(16).slice(1));

/**
 * @internal The default name of a task run: its task's name and the last three hex digits of
 * its id (`'fetch-3fa'`). For the id {@link newRunId} returned last, the digits are known without
 * reading the id: that id is a concatenation, and slicing it would copy it into a flat string
 * (a tenth of a task run's cost in a profile).
 */
export function taskRunName(taskName: string, id: string): string {
  return `${taskName}-${id === lastId ? lastSuffix : id.slice(-3)}`;
}

/**
 * @internal A UUID-shaped id for a run. On a clock with its own random source (a seeded
 * virtual clock) it is drawn from that source, so seeded runs get the same ids every time.
 */
export function newRunId(clock: Clock): string {
  const reserved = reserveRunId(clock);
  if (reserved === undefined) return randomRunId(clock.random);
  lastSuffix = SUFFIXES[reserved & 0xfff]!;
  return (lastId = runIdText(counter.high, reserved));
}

/**
 * @internal Takes the next id on the default clock without writing it out: returns its counter
 * (below 2^24), whose prefix is {@link runIdPrefix} until the next reservation; the id is
 * `runIdText(prefix, counter)`. A queued run that may never be looked at then holds a shared
 * string and a small integer, not two strings of its own (futures/submitted-run.ts).
 * Undefined on a clock with its own random source (use {@link newRunId} there).
 */
export function reserveRunId(clock: Clock): number | undefined {
  if (clock.random !== DEFAULT_RANDOM) return undefined;
  // 12 hex digits: 6 that change every 2^24 runs, and 6 from a small-integer counter (fast to format).
  const c = counter;
  if (++c.low > 0xffffff) {
    c.low = 0;
    c.prefix ??= processPrefix();
    c.high =
      c.prefix +
      (0x1000000 | ((parseInt(c.high.slice(-6) || 'ffffff', 16) + 1) & 0xffffff)).toString(16).slice(1);
  }
  return c.low;
}

/** @internal The prefix of the id {@link reserveRunId} reserved last. */
export function runIdPrefix(): string {
  return counter.high;
}

/** @internal The id of a reservation: its prefix and counter. */
export function runIdText(idPrefix: string, counter: number): string {
  return idPrefix + (0x1000000 | counter).toString(16).slice(1);
}

/** @internal The default name of a task run whose id was reserved with `counter`. */
export function reservedRunName(taskName: string, counter: number): string {
  return `${taskName}-${SUFFIXES[counter & 0xfff]!}`;
}

function randomRunId(r: () => number): string {
  let out = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += HEX[8 + Math.floor(r() * 4)];
    else out += HEX[Math.floor(r() * 16)];
  }
  return out;
}

const ADJECTIVES = [
  'amber',
  'bold',
  'brisk',
  'calm',
  'crimson',
  'daring',
  'eager',
  'fuzzy',
  'gentle',
  'golden',
  'hidden',
  'icy',
  'jolly',
  'keen',
  'lively',
  'mellow',
  'nimble',
  'olive',
  'proud',
  'quiet',
  'rapid',
  'silver',
  'tidy',
  'vivid',
  'witty',
];
const ANIMALS = [
  'otter',
  'falcon',
  'badger',
  'heron',
  'lynx',
  'marten',
  'newt',
  'orca',
  'panda',
  'quail',
  'raven',
  'salmon',
  'tapir',
  'urchin',
  'vole',
  'walrus',
  'yak',
  'zebra',
  'ibis',
  'gecko',
  'finch',
  'eel',
  'dingo',
  'crane',
  'bison',
];

/** @internal A readable flow-run name such as `'brisk-otter'`, from the clock's random source. */
export function flowRunName(clock: Clock): string {
  const r = clock.random;
  return `${ADJECTIVES[Math.floor(r() * ADJECTIVES.length)]}-${ANIMALS[Math.floor(r() * ANIMALS.length)]}`;
}
