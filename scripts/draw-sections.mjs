// Draws note sections at random for writing an evaluation set (docs/search.md, "Measuring it"):
// node scripts/draw-sections.mjs <seed> [count] after `npm run build`. The corpus's sections
// (listNotes + noteDocuments, no exclusions) drawn with mulberry32 seeded <seed>, without
// repetition, skipping sections with under 100 characters of readable text, until <count>.
import { resolve } from 'node:path';
import { listNotes, noteDocuments } from '../dist/src/knowledge/notes-source.js';

const seed = Number(process.argv[2]);
const count = Number(process.argv[3] ?? 100);
const folder = { dir: resolve(process.cwd(), '../shared/fixtures/notes/ml-engineering'), baseUrl: 'https://x/' };
const docs = listNotes(folder).flatMap((rel) => noteDocuments(folder, rel).map((d) => ({ rel, d })));
let a = seed >>> 0;
const rand = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const readable = (body) =>
  body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[#*_`>|[\]-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const seen = new Set();
let skipped = 0;
const out = [];
while (out.length < count && seen.size < docs.length) {
  const i = Math.floor(rand() * docs.length);
  if (seen.has(i)) continue;
  seen.add(i);
  const { rel, d } = docs[i];
  const text = readable(d.body);
  if (text.length < 100) {
    skipped++;
    continue;
  }
  out.push({ rel, title: d.title, text });
}
console.error(`${docs.length} sections, ${seen.size} draws, ${skipped} skipped`);
for (const [n, { rel, title, text }] of out.entries()) console.log(`### ${n + 1} ${rel} | ${title}\n${text.slice(0, 700)}\n`);
