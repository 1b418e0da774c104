import type { IncomingMessage } from 'node:http';

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
