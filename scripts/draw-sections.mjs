// Draws note sections at random for writing an evaluation set (docs/search.md, "Measuring it"):
// node scripts/draw-sections.mjs <seed> [count] [skip-seed] after `npm run build`. The corpus's
// sections (listNotes + noteDocuments, no exclusions) drawn with mulberry32 seeded <seed>,
// without repetition, skipping sections with under 100 characters of readable text, and the
// sections the same draw of [count] with [skip-seed] gives (a set tuned on), until <count>.
import { resolve } from 'node:path';
import { listNotes, noteDocuments } from '../dist/src/knowledge/notes-source.js';

const seed = Number(process.argv[2]);
const count = Number(process.argv[3] ?? 100);
const skipSeed = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const folder = { dir: resolve(process.cwd(), '../shared/fixtures/notes/ml-engineering'), baseUrl: 'https://x/' };
const docs = listNotes(folder).flatMap((rel) => noteDocuments(folder, rel).map((d) => ({ rel, d })));
const readable = (body) =>
  body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[#*_`>|[\]-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function draw(seed, skip) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const seen = new Set();
  const out = [];
  let skipped = 0;
  while (out.length < count && seen.size < docs.length) {
    const i = Math.floor(rand() * docs.length);
    if (seen.has(i)) continue;
    seen.add(i);
    const text = readable(docs[i].d.body);
    if (text.length < 100 || skip.has(i)) {
      skipped++;
      continue;
    }
    out.push(i);
  }
  return { out, draws: seen.size, skipped };
}

const { out: picked, draws, skipped } = draw(seed, new Set(skipSeed === undefined ? [] : draw(skipSeed, new Set()).out));
const out = picked.map((i) => ({ rel: docs[i].rel, title: docs[i].d.title, text: readable(docs[i].d.body) }));
console.error(`${docs.length} sections, ${draws} draws, ${skipped} skipped`);
for (const [n, { rel, title, text }] of out.entries()) console.log(`### ${n + 1} ${rel} | ${title}\n${text.slice(0, 700)}\n`);
