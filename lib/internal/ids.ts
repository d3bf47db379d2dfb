import type { Clock } from './clock.js';
import { DEFAULT_RANDOM } from './clock.js';

const HEX = '0123456789abcdef';

/**
 * @internal A UUID v4 for a run. On the default clock it comes from `crypto.randomUUID`; on a
 * clock with its own random source (a seeded virtual clock) it is drawn from that source, so
 * seeded runs get the same ids every time.
 */
export function newRunId(clock: Clock): string {
  if (clock.random === DEFAULT_RANDOM && typeof globalThis.crypto?.randomUUID === 'function') {
    return globalThis.crypto.randomUUID();
  }
  const r = clock.random;
  let out = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += HEX[8 + Math.floor(r() * 4)];
    else out += HEX[Math.floor(r() * 16)];
  }
  return out;
}

const ADJECTIVES = ['amber', 'bold', 'brisk', 'calm', 'crimson', 'daring', 'eager', 'fuzzy', 'gentle', 'golden', 'hidden', 'icy', 'jolly', 'keen', 'lively', 'mellow', 'nimble', 'olive', 'proud', 'quiet', 'rapid', 'silver', 'tidy', 'vivid', 'witty'];
const ANIMALS = ['otter', 'falcon', 'badger', 'heron', 'lynx', 'marten', 'newt', 'orca', 'panda', 'quail', 'raven', 'salmon', 'tapir', 'urchin', 'vole', 'walrus', 'yak', 'zebra', 'ibis', 'gecko', 'finch', 'eel', 'dingo', 'crane', 'bison'];

/** @internal A readable flow-run name such as `'brisk-otter'`, from the clock's random source. */
export function flowRunName(clock: Clock): string {
  const r = clock.random;
  return `${ADJECTIVES[Math.floor(r() * ADJECTIVES.length)]}-${ANIMALS[Math.floor(r() * ANIMALS.length)]}`;
}
