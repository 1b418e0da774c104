import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArrayReader } from '../../src/platforms/youtube/json-array-reader.js';

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

  it('parses the same elements however the bytes are cut (property)', () => {
    const element = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })), { maxKeys: 5 });
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
