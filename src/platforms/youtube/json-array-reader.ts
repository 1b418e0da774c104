/**
 * Reads a JSON array that arrives in pieces (`[`, object, `,`, object, ...) and hands out each
 * complete top-level element as soon as its last byte is in, so a server stream is consumed as
 * it is written, never by a whole-body parse. It tracks strings and escapes to find where an
 * element ends; the element itself is then parsed with JSON.parse.
 *
 * Bytes go through one streaming UTF-8 decoder: a network chunk may end in the middle of a
 * multi-byte character (an emoji, a kana), and decoding each chunk on its own would turn both
 * halves into U+FFFD.
 */
export class JsonArrayReader {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private scanned = 0;
  private started = false;
  private ended = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elementStart = -1;

  /**
   * Feeds a chunk (bytes as they came off the wire, or text); returns the elements it completed.
   * Throws `SyntaxError` on malformed input.
   */
  push(chunk: string | Uint8Array): unknown[] {
    if (typeof chunk !== 'string') chunk = this.decoder.decode(chunk, { stream: true });
    if (this.ended) {
      if (chunk.trim()) throw new SyntaxError('data after the end of the array');
      return [];
    }
    this.buffer += chunk;
    const out: unknown[] = [];
    const b = this.buffer;
    let i = this.scanned;
    for (; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (!this.started) {
        if (c === 91 /* [ */) this.started = true;
        else if (!isSpace(c)) throw new SyntaxError(`expected "[" at the start of the stream, got ${JSON.stringify(b[i])}`);
        continue;
      }
      if (this.depth === 0) {
        if (isSpace(c) || c === 44 /* , */) continue;
        if (c === 93 /* ] */) {
          this.ended = true;
          i++;
          break;
        }
        if (c !== 123 /* { */ && c !== 91) throw new SyntaxError(`expected an object in the array, got ${JSON.stringify(b[i])}`);
        this.elementStart = i;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 /* } */ || c === 93) {
        this.depth--;
        if (this.depth < 0) throw new SyntaxError('unbalanced brackets');
        if (this.depth === 0) {
          out.push(JSON.parse(b.slice(this.elementStart, i + 1)));
          this.elementStart = -1;
        }
      }
    }
    // Keep only the unfinished element, so the buffer does not grow with the stream.
    if (this.elementStart >= 0) {
      this.buffer = b.slice(this.elementStart);
      this.scanned = i - this.elementStart;
      this.elementStart = 0;
    } else {
      this.buffer = '';
      this.scanned = 0;
    }
    return out;
  }

  /** The stream is over: what the decoder still holds was a character cut in half. */
  end(): unknown[] {
    return this.push(this.decoder.decode());
  }

  /** True once the closing `]` arrived. */
  get complete(): boolean {
    return this.ended;
  }

  /** True if the stream stopped in the middle of an element. */
  get midElement(): boolean {
    return this.depth > 0 || this.inString;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
