// Test doubles for the console reporter: a writable that records chunks, a TTY variant, and a
// tiny terminal that applies the escape sequences the live view writes, to check what is seen.

/** A non-TTY stream (a pipe, a file) that records what is written. */
export class FakeStream {
  readonly chunks: string[] = [];

  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }

  get text(): string {
    return this.chunks.join('');
  }

  /** The written lines, without the final empty one. */
  get lines(): string[] {
    return this.text.split('\n').slice(0, -1);
  }
}

/** A terminal: `isTTY`, a size, and a screen that follows the cursor movements written. */
export class FakeTTY extends FakeStream {
  readonly isTTY = true;
  readonly screen = new Screen();

  constructor(
    readonly columns = 72,
    readonly rows = 24,
  ) {
    super();
  }

  override write(chunk: string | Uint8Array): boolean {
    super.write(chunk);
    this.screen.feed(this.chunks.at(-1)!);
    return true;
  }
}

/**
 * Applies text, `\r`, `\n`, cursor up (`ESC[nA`), erase to end of screen (`ESC[J`), cursor
 * show/hide (`ESC[?25h/l`) and ignores colours (`ESC[...m`); any other sequence is an error.
 */
export class Screen {
  private rows: string[] = [''];
  private row = 0;
  private col = 0;
  cursorVisible = true;

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        // eslint-disable-next-line no-control-regex -- matching escape sequences is the point
        const match = /^\x1b\[(\??)(\d*)([A-Za-z])/.exec(text.slice(i));
        if (match === null)
          throw new Error(`unknown escape sequence at ${JSON.stringify(text.slice(i, i + 8))}`);
        i += match[0].length - 1;
        const [, private_, n, op] = match;
        if (private_ === '?' && n === '25') this.cursorVisible = op === 'h';
        else if (op === 'A') this.row = Math.max(0, this.row - Number(n || '1'));
        else if (op === 'J') {
          this.rows = this.rows.slice(0, this.row + 1);
          this.rows[this.row] = this.rows[this.row]!.slice(0, this.col);
        } else if (op !== 'm') throw new Error(`unexpected escape sequence ${JSON.stringify(match[0])}`);
      } else if (ch === '\r') this.col = 0;
      else if (ch === '\n') {
        this.row++;
        this.col = 0;
        if (this.rows.length <= this.row) this.rows.push('');
      } else {
        const line = this.rows[this.row]!.padEnd(this.col);
        this.rows[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
        this.col++;
      }
    }
  }

  /** The screen's lines, trailing spaces and the empty line under the cursor dropped. */
  get lines(): string[] {
    const lines = this.rows.map((line) => line.trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }
}
