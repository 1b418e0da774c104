import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A request body as text. The bytes are joined before decoding: a body can arrive in several
 * chunks, and a multi-byte character split between two of them must stay whole.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', done);
    req.on('error', done);
  });
}

/** A small seeded generator (mulberry32): the same seed gives the same pieces on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes a response body in order, whole or in random pieces, one piece per turn of the event loop. */
export class PieceWriter {
  private readonly queue: Buffer[] = [];
  private pumping = false;
  private ending: string | undefined;
  private readonly drained: Array<() => void> = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly random: (() => number) | undefined,
    private readonly maxBytes: number,
  ) {}

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (!this.random) {
      if (!this.res.destroyed) this.res.write(bytes);
      return;
    }
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(this.random() * this.maxBytes);
      this.queue.push(bytes.subarray(i, i + n));
      i += n;
    }
    this.pump();
  }

  end(text: string): void {
    if (!this.random) {
      this.res.end(text);
      return;
    }
    this.ending = text;
    this.pump();
  }

  whenDrained(fn: () => void): void {
    if (!this.pumping && this.queue.length === 0) fn();
    else this.drained.push(fn);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = () => {
      const piece = this.queue.shift();
      if (piece && !this.res.destroyed) {
        this.res.write(piece);
        setImmediate(step);
        return;
      }
      if (piece) this.queue.length = 0;
      this.pumping = false;
      if (this.ending !== undefined) {
        const t = this.ending;
        this.ending = undefined;
        if (!this.res.destroyed) this.res.end(t);
      }
      for (const fn of this.drained.splice(0)) fn();
    };
    step();
  }
}

/** JSON.parse, or undefined for text that is not JSON. */
export function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
