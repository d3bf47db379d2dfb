import { inspect } from 'node:util';
import { format as formatDate } from 'date-fns/format';
import type { State } from '../../../state/schema.js';
import type { FanOut, RunNode, Totals } from './run-tracker.js';

/** How a line shows when something happened. */
export type TimeFormat = 'elapsed' | 'clock' | 'none';

/** @internal A piece of a line and its style (an SGR code), for colour and width-aware cutting. */
export type Segment = readonly [text: string, style?: Style];

/** @internal The styles the reporter uses. */
export type Style = 'dim' | 'bold' | 'green' | 'red' | 'yellow' | 'cyan';

const SGR: Record<Style, string> = { dim: '2', bold: '1', green: '32', red: '31', yellow: '33', cyan: '36' };

/** Joins segments, in colour or not, cut to `width` visible characters (with an ellipsis). */
export function render(segments: readonly Segment[], color: boolean, width = Infinity): string {
  let out = '';
  let left = width;
  for (const [text, style] of segments) {
    if (left <= 0) break;
    const cut = text.length > left ? `${text.slice(0, Math.max(0, left - 1))}…` : text;
    left -= cut.length;
    out += color && style !== undefined && cut !== '' ? `\x1b[${SGR[style]}m${cut}\x1b[0m` : cut;
  }
  return out;
}

/** The colour of a state's name. */
export function stateStyle(state: State): Style | undefined {
  switch (state.type) {
    case 'COMPLETED':
      return 'green';
    case 'FAILED':
    case 'CRASHED':
      return 'red';
    case 'CANCELLED':
    case 'CANCELLING':
      return 'yellow';
    case 'RUNNING':
      return state.name === 'Retrying' ? 'yellow' : 'cyan';
    case 'SCHEDULED':
      return state.name === 'AwaitingRetry' ? 'yellow' : 'dim';
    case 'PENDING':
      return state.name === 'NotReady' ? 'yellow' : 'dim';
    default:
      return undefined;
  }
}

/** `1.23s`: a duration in seconds, two decimals (the time column, which keeps its width). */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/**
 * A duration as a person reads it, to the precision that matters at its size: `0ms`, `62ms`,
 * `1.5s`, `12.25s`, `2m 5s`, `1h 30m`, `3d 4h`. Rounding never shows a unit's full count
 * (`999.7ms` is `1s`, `59.996s` is `1m`).
 */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) ms = 0;
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const centis = Math.round(ms / 10);
  if (centis < 6000) return `${centis / 100}s`;
  const secs = Math.round(ms / 1000);
  if (secs < 3600) return unitPair(Math.floor(secs / 60), 'm', secs % 60, 's');
  const mins = Math.round(ms / 60_000);
  if (mins < 24 * 60) return unitPair(Math.floor(mins / 60), 'h', mins % 60, 'm');
  const hours = Math.round(ms / 3_600_000);
  return unitPair(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

function unitPair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
}

/** The engine's retry message with its delay readable: `Retry 1/3 will start 62ms from now, after: …`. */
function retryMessage(state: State): string | undefined {
  const message = state.message;
  if (message === undefined) return undefined;
  const match = /^(Retry \d+\/\d+ will start )(\S+)s( from now)/.exec(message);
  if (match === null) return message;
  // The delay the engine wrote, exactly: scheduledTime minus the state's timestamp can be a
  // millisecond off, as the two are read from the clock at slightly different moments.
  const ms = Number(match[2]) * 1000;
  if (!Number.isFinite(ms)) return message;
  return `${match[1]}${duration(ms)}${match[3]}${message.slice(match[0].length)}`;
}

/** The time column: `+1.23s` since `origin`, the clock time, or nothing. */
export function timeColumn(at: Date, origin: number, time: TimeFormat): string {
  if (time === 'none') return '';
  if (time === 'clock') return `${formatDate(at, 'HH:mm:ss.SSS')} `;
  // Aligned up to +99.99s; longer runs push the line one column right.
  return `${`+${seconds(at.getTime() - origin)}`.padEnd(7)} `;
}

/** A short, one-line view of a result: `4 items`, `{ day: '2024-06-01', loaded: 2 }`. */
export function summarize(data: unknown, width = 60): string {
  if (Array.isArray(data)) return `${data.length} item${data.length === 1 ? '' : 's'}`;
  const text = inspect(data, { depth: 2, breakLength: Infinity, maxArrayLength: 5, maxStringLength: width });
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/**
 * What a line says about a state beyond its name: the retry's reason, the attempt, the run's
 * duration and result or error.
 */
export function stateDetail(node: RunNode, state: State, results: boolean): string {
  const took = () => duration(state.timestamp.getTime() - node.run.startTime.getTime());
  switch (state.type) {
    case 'COMPLETED':
      return results && state.data !== undefined ? `in ${took()} → ${summarize(state.data)}` : `in ${took()}`;
    case 'FAILED':
    case 'CRASHED':
    case 'CANCELLED':
      return state.message === undefined ? `after ${took()}` : `after ${took()}: ${state.message}`;
    default:
      if (state.name === 'Retrying') return `attempt ${state.details?.runCount ?? node.run.runCount}`;
      if (state.name === 'AwaitingRetry') return retryMessage(state) ?? '';
      return state.message ?? '';
  }
}

/** One line per state: time, the run's name indented by depth, the state's name, the detail. */
export function stateLine(
  node: RunNode,
  state: State,
  detail: string,
  time: string,
  indent = node.depth,
): Segment[] {
  const name = `${'  '.repeat(indent)}${node.run.name}`;
  return [
    [time, 'dim'],
    [`${name.padEnd(28)} `],
    [state.name, stateStyle(state)],
    [detail === '' ? '' : `${' '.repeat(Math.max(1, 15 - state.name.length))}${detail}`],
  ];
}

/** `[#####---------------]`: `done` of `total`, `width` cells. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.min(width, Math.floor((done / total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** A fan-out's progress: `resize ×5000 [##########----------] 2500/5000, 1 failed, 2 retried`. */
export function fanOutLine(fanOut: FanOut, indent: number, time: string): Segment[] {
  const { name, total, ended, failed, cancelled, notReady, retries } = fanOut;
  const notes = [
    failed === 0 ? '' : `${failed} failed`,
    cancelled === 0 ? '' : `${cancelled} cancelled`,
    notReady === 0 ? '' : `${notReady} not ready`,
    retries === 0 ? '' : `${retries} retried`,
  ]
    .filter((n) => n !== '')
    .join(', ');
  return [
    [time, 'dim'],
    [`${'  '.repeat(indent)}${name} ×${total} `],
    [progressBar(ended, total), ended === total ? 'green' : 'cyan'],
    [` ${ended}/${total}`],
    [notes === '' ? '' : `, ${notes}`, failed === 0 ? (notes === '' ? undefined : 'yellow') : 'red'],
  ];
}

/** Said once per collapsed fan-out when its retries stop getting lines of their own. */
export function mutedRetriesLine(fanOut: FanOut, indent: number, time: string): Segment[] {
  const name = `${'  '.repeat(indent)}${fanOut.name} ×${fanOut.total}+`;
  return [
    [time, 'dim'],
    [`${name.padEnd(28)} `],
    ['more retries: counted on the progress line, not shown one by one', 'dim'],
  ];
}

/**
 * A root flow run's summary: `etl-2024-06-01 Completed in 1.02s; task runs: 3 Completed,
 * 1 TimedOut; 3 retries`.
 */
export function summaryLine(node: RunNode, state: State, totals: Totals): Segment[] {
  const took = duration(state.timestamp.getTime() - node.run.startTime.getTime());
  const parts = [count('task runs', totals.task), count('subflow runs', totals.flow)];
  if (totals.retries !== 0) parts.push(`${totals.retries} ${totals.retries === 1 ? 'retry' : 'retries'}`);
  const rest = parts.filter((p) => p !== '').join('; ');
  return [
    ['Summary: ', 'bold'],
    [`${node.run.name} `],
    [state.name, stateStyle(state)],
    [` in ${took}${rest === '' ? '' : `; ${rest}`}`],
  ];
}

function count(what: string, byName: ReadonlyMap<string, number>): string {
  if (byName.size === 0) return '';
  const list = [...byName].map(([name, n]) => `${n} ${name}`).join(', ');
  return `${what}: ${list}`;
}
