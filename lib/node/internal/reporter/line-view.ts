import {
  fanOutLine,
  mutedRetriesLine,
  render,
  stateDetail,
  stateLine,
  summaryLine,
  type Segment,
} from './format.js';
import type { Change, FanOut } from './run-tracker.js';
import { FAN_OUT_RETRY_LINES, hiddenRunLine, type ReporterView, type ViewSettings } from './view.js';

/** Where lines go: any stream with `write`. */
export interface LineSink {
  write(chunk: string): unknown;
}

/**
 * @internal One line per state change, for logs and pipes. A fan-out past the threshold is
 * announced once, then shown by a progress line per tenth of its runs ended; its runs' own lines
 * are left out, except failures and its first retries (view.ts).
 */
export class LineView implements ReporterView {
  constructor(
    private readonly stream: LineSink,
    private readonly settings: ViewSettings,
  ) {}

  onChange({ node, state, ended, collapsed, progressed }: Change, time: string): void {
    const { settings } = this;
    if (collapsed !== undefined) {
      const name = `${'  '.repeat(collapsed.parent.depth + 1)}${collapsed.name} ×${collapsed.total}+`;
      this.line([
        [time, 'dim'],
        [`${name.padEnd(28)} `],
        [
          `fan-out: progress lines from here on, failures and the first ${FAN_OUT_RETRY_LINES} retries still shown`,
          'dim',
        ],
      ]);
    }
    const hidden = node.hidden ? hiddenRunLine(node, state) : undefined;
    if (hidden?.mute !== undefined)
      this.line(mutedRetriesLine(hidden.mute, hidden.mute.parent.depth + 1, time));
    if (hidden === undefined || hidden.line) {
      if (ended) this.finishFanOuts(node.fanOuts.values(), time);
      this.line(stateLine(node, state, stateDetail(node, state, settings.results), time));
    }
    if (progressed !== undefined) {
      const tenth = Math.floor((progressed.ended * 10) / progressed.total);
      if (tenth > progressed.shownTenth) {
        progressed.shownTenth = tenth;
        this.progress(progressed, time);
      }
    }
    if (ended && settings.summary && node.totals !== undefined && node.parent === undefined)
      this.line(summaryLine(node, state, node.totals));
  }

  stop(): void {
    // Every line is written as it happens: nothing is due.
  }

  /** A run's collapsed fan-outs whose last progress line is not their final count. */
  private finishFanOuts(fanOuts: Iterable<FanOut>, time: string): void {
    for (const fanOut of fanOuts)
      if (fanOut.collapsed && fanOut.shownEnded !== fanOut.ended) this.progress(fanOut, time);
  }

  private progress(fanOut: FanOut, time: string): void {
    fanOut.shownEnded = fanOut.ended;
    this.line(fanOutLine(fanOut, fanOut.parent.depth + 1, time));
  }

  private line(segments: readonly Segment[]): void {
    this.stream.write(`${render(segments, this.settings.color).trimEnd()}\n`);
  }
}
