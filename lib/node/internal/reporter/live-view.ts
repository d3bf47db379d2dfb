import type { SchedulerLike, Subscription } from 'rxjs';
import {
  fanOutLine,
  mutedRetriesLine,
  render,
  stateDetail,
  stateLine,
  stateStyle,
  summaryLine,
  type Segment,
} from './format.js';
import type { Change, FanOut, RunNode, RunTracker } from './run-tracker.js';
import { hiddenRunLine, type ReporterView, type ViewSettings } from './view.js';
import { scheduleDelay } from '../../../internal/schedule-delay.js';

/** The terminal a live view draws on. */
export interface LiveStream {
  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** @internal Options of {@link LiveView}, resolved. */
export interface LiveSettings extends ViewSettings {
  readonly scheduler: SchedulerLike;
  readonly refreshMs: number;
  /** Route other writes to the stream above the live area. */
  readonly captureWrites: boolean;
}

const ESC = '\x1b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

type Write = LiveStream['write'];

/**
 * @internal A live tree of the runs in flight at the bottom of a terminal, redrawn at most every
 * `refreshMs` (on the reporter's scheduler, so virtual time drives it in tests), with a progress
 * bar per collapsed fan-out. Above it, lines that stay: each shown run's final state, retries,
 * failures and the first retries inside fan-outs, fan-outs' final counts and root summaries.
 *
 * Each redraw is one write: move up over the previous tree, erase to the end of the screen,
 * write the new lines and the tree. Writes to the stream by anyone else go through
 * {@link LiveView.foreignWrite}, which erases the tree, writes, and draws the tree again below.
 */
export class LiveView implements ReporterView {
  private readonly original: Write;
  private readonly patched: Write | undefined;
  private readonly hadOwnWrite: boolean;
  private scheduled: Subscription | undefined = undefined;
  private lastRender = -Infinity;
  /** Lines that stay, written with the next redraw. */
  private log = '';
  /** The tree as last drawn, and its height. */
  private drawn: string[] = [];
  /** The last foreign write ended mid-line: the tree must start on a new line. */
  private midLine = false;
  private cursorHidden = false;
  private stopped = false;
  private readonly onExit = () => {
    if (this.cursorHidden) this.original.call(this.stream, SHOW_CURSOR);
  };

  constructor(
    private readonly stream: LiveStream,
    private readonly tracker: RunTracker,
    private readonly settings: LiveSettings,
  ) {
    this.original = stream.write;
    this.hadOwnWrite = Object.prototype.hasOwnProperty.call(stream, 'write');
    if (settings.captureWrites) {
      // An arrow function: whoever calls write, `this` stays the view.
      this.patched = (chunk: string | Uint8Array, ...rest: unknown[]) => this.foreignWrite(chunk, rest);
      (stream as { write: Write }).write = this.patched;
    }
    process.once('exit', this.onExit);
  }

  onChange({ node, state, ended }: Change, time: string): void {
    const { settings } = this;
    const shown = !node.hidden;
    if (ended && shown) {
      for (const fanOut of node.fanOuts.values())
        if (fanOut.collapsed) this.keep(fanOutLine(fanOut, node.depth + 1, time));
    }
    const hidden = shown ? undefined : hiddenRunLine(node, state);
    if (hidden?.mute !== undefined)
      this.keep(mutedRetriesLine(hidden.mute, hidden.mute.parent.depth + 1, time));
    if ((shown && (ended || state.name === 'AwaitingRetry')) || hidden?.line === true)
      this.keep(stateLine(node, state, stateDetail(node, state, settings.results), time));
    if (ended && settings.summary && node.totals !== undefined && node.parent === undefined)
      this.keep(summaryLine(node, state, node.totals));
    // Throttled: a burst of changes (a map of 5000 runs) costs one redraw.
    this.requestRender();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.render();
    this.scheduled?.unsubscribe();
    this.scheduled = undefined;
    if (this.cursorHidden) this.original.call(this.stream, SHOW_CURSOR);
    this.cursorHidden = false;
    process.off('exit', this.onExit);
    const stream = this.stream as { write: Write };
    // Someone patched it after us: leave theirs in place (ours now passes writes straight on).
    if (this.patched !== undefined && stream.write === this.patched) {
      if (this.hadOwnWrite) stream.write = this.original;
      else delete (stream as { write?: Write }).write;
    }
  }

  private keep(segments: readonly Segment[]): void {
    this.log += `${render(segments, this.settings.color).trimEnd()}\n`;
  }

  private requestRender(): void {
    if (this.scheduled !== undefined || this.stopped) return;
    const { scheduler, refreshMs } = this.settings;
    const wait = Math.max(0, this.lastRender + refreshMs - scheduler.now());
    this.scheduled = scheduleDelay(
      scheduler,
      () => {
        this.scheduled = undefined;
        this.render();
      },
      wait,
    );
  }

  /** Erases the tree, writes the lines that stay, draws the tree anew: one write. */
  private render(): void {
    this.lastRender = this.settings.scheduler.now();
    const tree = this.tree();
    const body = this.log + (tree.length === 0 ? '' : `${tree.join('\n')}\n`);
    this.log = '';
    let out = this.eraseTree();
    if (body !== '') {
      out += this.newLine() + body;
      if (tree.length !== 0 && !this.cursorHidden) {
        out = HIDE_CURSOR + out;
        this.cursorHidden = true;
      }
    }
    this.drawn = tree;
    if (out !== '') this.original.call(this.stream, out);
  }

  /** Moves up over the tree as drawn and erases it (the cursor is below it, at column 0). */
  private eraseTree(): string {
    const height = this.drawn.length;
    this.drawn = [];
    return height === 0 ? '' : `\r${ESC}${height}A${ESC}J`;
  }

  /** A line break if a foreign write left the cursor mid-line: our lines start on their own. */
  private newLine(): string {
    if (!this.midLine) return '';
    this.midLine = false;
    return '\n';
  }

  /** Someone else writes to the stream: above the tree, which is drawn again below it. */
  private foreignWrite(chunk: string | Uint8Array, rest: unknown[]): boolean {
    if (this.stopped) return this.original.call(this.stream, chunk, ...rest);
    const tree = this.drawn;
    if (tree.length !== 0 || this.log !== '') {
      let before = this.eraseTree();
      if (this.log !== '') before += this.newLine() + this.log;
      this.log = '';
      this.original.call(this.stream, before);
    }
    const result = this.original.call(this.stream, chunk, ...rest);
    if (chunk.length !== 0) {
      const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
      this.midLine = last !== 10;
    }
    if (tree.length === 0) return result;
    if (this.midLine) this.requestRender();
    else {
      this.original.call(this.stream, `${tree.join('\n')}\n`);
      this.drawn = tree;
    }
    return result;
  }

  /** The tree's lines: every root, its shown children and collapsed fan-outs, in start order. */
  private tree(): string[] {
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const lines: string[] = [];
    const add = (segments: readonly Segment[]) => lines.push(render(segments, this.settings.color, width));
    const visit = (node: RunNode) => {
      add(this.runLine(node));
      for (const item of inStartOrder(node)) {
        if ('collapsed' in item) add(fanOutLine(item, node.depth + 1, ''));
        else visit(item);
      }
    };
    for (const root of this.tracker.roots.values()) if (!root.hidden) visit(root);
    const room = Math.max(3, (this.stream.rows ?? 24) - 2);
    if (lines.length <= room) return lines;
    const more = lines.length - room + 1;
    return [...lines.slice(0, room - 1), render([[`… ${more} more`, 'dim']], this.settings.color, width)];
  }

  private runLine(node: RunNode): Segment[] {
    const { state, run } = node;
    let detail = '';
    if (state.name === 'AwaitingRetry' && state.details?.scheduledTime !== undefined) {
      const at = this.settings.timeOf(state.details.scheduledTime).trim();
      detail = at === '' ? `attempt ${run.runCount + 1} next` : `attempt ${run.runCount + 1} at ${at}`;
    } else if (state.type === 'RUNNING' && run.runCount > 1) detail = `attempt ${run.runCount}`;
    return [
      [`${'  '.repeat(node.depth)}${run.name} `],
      [state.name, stateStyle(state)],
      [detail === '' ? '' : ` ${detail}`, 'dim'],
    ];
  }
}

/** A run's shown children and collapsed fan-outs, merged by start order. */
function inStartOrder(node: RunNode): (RunNode | FanOut)[] {
  const items: (RunNode | FanOut)[] = [...node.children.values()];
  let collapsed = false;
  for (const fanOut of node.fanOuts.values())
    if (fanOut.collapsed) {
      items.push(fanOut);
      collapsed = true;
    }
  if (collapsed) items.sort((a, b) => a.seq - b.seq);
  return items;
}
