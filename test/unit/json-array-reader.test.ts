import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArrayReader } from '../../src/platforms/youtube/json-array-reader.js';

/** Feeds `bytes` cut at the given offsets (as the network may deliver them) and collects the elements. */
function feedBytes(bytes: Uint8Array, cuts: number[]): unknown[] {
  const r = new JsonArrayReader();
  const out: unknown[] = [];
  let last = 0;
  for (const c of [...new Set(cuts.filter((x) => x > 0 && x < bytes.length))].sort((a, b) => a - b)) {
    out.push(...r.push(bytes.subarray(last, c)));
    last = c;
  }
  out.push(...r.push(bytes.subarray(last)), ...r.end());
  expect(r.complete).toBe(true);
  return out;
}

function feed(text: string, cuts: number[]): unknown[] {
  const r = new JsonArrayReader();
  const out: unknown[] = [];
  let last = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < text.length).sort((a, b) => a - b), text.length]) {
    out.push(...r.push(text.slice(last, c)));
    last = c;
  }
  return out;
}

// A stream of two list responses with 2-, 3- and 4-byte characters written raw, and the same kind
// of text written as \u escapes (a surrogate pair among them).
const FIXTURE = readFileSync(new URL('../fixtures/youtube/stream-multibyte.json', import.meta.url));

describe('JsonArrayReader', () => {
  it('yields each element as soon as it is complete', () => {
    const r = new JsonArrayReader();
    expect(r.push('[{"a":1}')).toEqual([{ a: 1 }]);
    expect(r.push(',{"b":"x}y,\\"z')).toEqual([]);
    expect(r.midElement).toBe(true);
    expect(r.push('"}')).toEqual([{ b: 'x}y,"z' }]);
    expect(r.complete).toBe(false);
    expect(r.push('\n]')).toEqual([]);
    expect(r.complete).toBe(true);
  });

  it('the fixture split at every byte offset gives the same elements as a whole-body parse', () => {
    const whole = JSON.parse(FIXTURE.toString('utf8')) as unknown[];
    expect(JSON.stringify(whole)).toContain('なぜ softmax を使うの? 🤔 Ünïcödé — «quotes» ✓ 注意力机制');
    for (let i = 0; i <= FIXTURE.length; i++) expect(feedBytes(FIXTURE, [i])).toEqual(whole);
  });

  it('any cuts of any valid stream of any characters give the same elements (property)', () => {
    // Full Unicode: 1- to 4-byte UTF-8 sequences, and escapes of every kind once stringified.
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const element = fc.dictionary(text, fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 })), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), fc.boolean(), fc.array(fc.nat({ max: 4000 }), { maxLength: 24 }), (items, ascii, cuts) => {
        let json = JSON.stringify(items);
        // Half the time every non-ASCII character is a \u escape (surrogate pairs for emoji).
        if (ascii) json = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        const bytes = new TextEncoder().encode(json);
        expect(feedBytes(bytes, cuts)).toEqual(items);
      }),
      { numRuns: 500 },
    );
  });

  it('parses the same elements however the text is cut (property)', () => {
    const element = fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), fc.array(fc.nat({ max: 2000 }), { maxLength: 20 }), (items, cuts) => {
        const text = JSON.stringify(items, null, items.length % 2 ? 1 : 0);
        expect(feed(text, cuts)).toEqual(items);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects what is not an array of objects', () => {
    expect(() => new JsonArrayReader().push('{"a":1}')).toThrow(SyntaxError);
    expect(() => new JsonArrayReader().push('[1,2]')).toThrow(SyntaxError);
    expect(() => new JsonArrayReader().push('[{"a":1}}')).toThrow(SyntaxError);
    expect(() => new JsonArrayReader().push('[{"a":tru}]')).toThrow(SyntaxError);
  });
});
