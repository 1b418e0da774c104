import type { z } from 'zod';

type AnySchema = z.ZodType;
interface Def {
  readonly type: string;
  readonly innerType?: AnySchema;
  readonly in?: AnySchema;
  readonly shape?: Record<string, AnySchema>;
  readonly element?: AnySchema;
  readonly options?: readonly AnySchema[];
}
const def = (s: AnySchema): Def => (s as unknown as { def: Def }).def;

/** Looks through wrappers (optional, default, pipes) to the schema that holds the value. */
function unwrap(s: AnySchema): AnySchema {
  for (let d = def(s); ; d = def(s)) {
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The keys a mapping at `path` may have, for suggesting the closest to an unknown key. */
export function knownKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let s: AnySchema | undefined = unwrap(schema);
  for (const seg of path) {
    if (!s) return [];
    const d = def(s);
    if (typeof seg === 'number' && d.element) s = unwrap(d.element);
    else if (d.shape && typeof seg === 'string') s = d.shape[seg] ? unwrap(d.shape[seg]) : undefined;
    else if (d.options) s = d.options.map(unwrap).find((o) => def(o).shape) ?? undefined;
    else return [];
    if (s && def(s).options)
      s = def(s)
        .options!.map(unwrap)
        .find((o) => def(o).shape || def(o).element);
  }
  const shape = s ? def(s).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known key closest to a mistyped one, if it is close enough to be a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
