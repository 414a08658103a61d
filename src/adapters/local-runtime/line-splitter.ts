import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole; longer output is split, keeping a tail so a secret is not cut in two. */
const MAX_LINE = 1024 * 1024;
const KEEP = 1024;

/** Turns a byte stream into complete lines (UTF-8 safe across chunks, `\r\n` tolerated). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  push(chunk: Buffer | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    const lines = parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    if (this.buffer.length > MAX_LINE) {
      lines.push(this.buffer.slice(0, -KEEP));
      this.buffer = this.buffer.slice(-KEEP);
    }
    return lines;
  }

  /** The unterminated last line, if any. */
  flush(): string[] {
    const rest = this.buffer + this.decoder.end();
    this.buffer = '';
    return rest.length > 0 ? [rest] : [];
  }
}
