/**
 * Twitch's global cheermote prefixes. A cheer is a prefix and a number of bits (`Cheer100`,
 * `4Head50`); channels may add their own prefixes, recognised by the bits they add up to.
 */
const GLOBAL = [
  'cheer',
  'doodlecheer',
  'biblethump',
  'cheerwhal',
  'corgo',
  'uni',
  'showlove',
  'party',
  'seemsgood',
  'pride',
  'kappa',
  'frankerz',
  'heyguys',
  'dansgame',
  'elegiggle',
  'trihard',
  'kreygasm',
  '4head',
  'swiftrage',
  'notlikethis',
  'failfish',
  'vohiyo',
  'pjsalt',
  'mrdestructoid',
  'bday',
  'ripcheer',
  'shamrock',
  'streamlabs',
  'muxy',
  'holidaycheer',
  'goal',
  'anon',
  'charity',
];
const KNOWN = new RegExp(`^(?:${GLOBAL.join('|')})(\\d+)$`, 'i');
/** What a channel's own cheermote looks like: letters (digits inside allowed), then the bits. */
const CUSTOM = /^[a-z][a-z0-9]*[a-z](\d+)$/i;

/**
 * The viewer's words of a bits message, without its cheermotes. Global cheermotes are always
 * removed; other words of the cheermote shape (`bf16` is one) only when they account exactly for
 * the bits the global ones leave, so a question about bf16 keeps its words.
 */
export function stripCheermotes(text: string, bits: number): string {
  const words = text.split(' ');
  const drop = new Set<number>();
  let counted = 0;
  words.forEach((w, i) => {
    const m = KNOWN.exec(w);
    if (m) {
      drop.add(i);
      counted += Number(m[1]);
    }
  });
  const left = bits - counted;
  if (left > 0) {
    const custom = words.flatMap((w, i) => {
      const m = drop.has(i) ? null : CUSTOM.exec(w);
      return m ? [{ i, n: Number(m[1]) }] : [];
    });
    const all = custom.reduce((n, c) => n + c.n, 0);
    if (all === left) for (const c of custom) drop.add(c.i);
    else {
      const one = custom.find((c) => c.n === left);
      if (one) drop.add(one.i);
    }
  }
  return words.filter((_, i) => !drop.has(i)).join(' ');
}
