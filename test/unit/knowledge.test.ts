import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import {
  decodeFeed,
  FeedParseError,
  headingText,
  listNotes,
  noteDocuments,
  parseFeed,
  parseNote,
  SearchIndex,
  type KnowledgeDoc,
} from '../../src/knowledge/index.js';

const NOTES = fileURLToPath(new URL('../fixtures/notes', import.meta.url));
const FEEDS = fileURLToPath(new URL('../fixtures/feeds', import.meta.url));
const SHARED_FEEDS = fileURLToPath(new URL('../../../shared/fixtures/feeds', import.meta.url));
const folder = { dir: NOTES, baseUrl: 'https://github.com/me/notes/blob/main/' };

describe('notes: sections and GitHub anchors', () => {
  it('splits at ATX and setext headings, never inside code, with front matter title, tags, aliases', () => {
    const note = parseNote(readFileSync(`${NOTES}/attention.md`, 'utf8'), 'attention.md');
    expect(note.title).toBe('Attention, explained');
    expect(note.tags).toEqual(['transformers', 'attention']);
    expect(note.aliases).toEqual(['self-attention']);
    expect(note.sections.map((s) => [s.level, s.heading, s.anchor])).toEqual([
      [1, 'Attention', 'attention'],
      [2, 'Why softmax?', 'why-softmax'],
      [2, 'Multi-head attention', 'multi-head-attention'],
      [2, 'Why softmax?', 'why-softmax-1'],
      [2, 'Ünïcödé & code in headings — really!', 'ünïcödé--code-in-headings--really'],
    ]);
    expect(note.sections[3]!.body).toContain('# this is a comment in code');
    expect(note.sections[1]!.parents).toEqual(['Attention']);
  });

  it('takes the first H1 or the file name as title; setext headings count', () => {
    const n = parseNote(readFileSync(`${NOTES}/guides/optimizers.md`, 'utf8'), 'guides/optimizers.md');
    expect(n.title).toBe('Optimizers');
    expect(n.sections.map((s) => s.anchor)).toEqual(['optimizers', 'adam-and-adamw', 'learning-rate-schedules']);
    expect(parseNote('no headings here', 'dir/my_first-note.md').title).toBe('my first note');
  });

  it('matches github-slugger on the rendered heading text, duplicates included', () => {
    const cases = [
      'Hello World',
      'Hello World',
      'C++ & Rust?',
      '`torch.compile`',
      '[Link](http://x) text',
      '**Bold** and _it_',
      '😀 Emoji',
      'MACs vs FLOP vs FLOPS vs FLOP/s',
      'Trailing hashes ##',
    ];
    const headings = cases.map((c) => `## ${c}`).join('\n\n');
    const parsed = parseNote(headings, 'x.md').sections.map((s) => s.anchor);
    const slugger = new GithubSlugger();
    expect(parsed).toEqual(cases.map((c) => slugger.slug(headingText(c))));
    expect(parsed).toEqual([
      'hello-world',
      'hello-world-1',
      'c--rust',
      'torchcompile',
      'link-text',
      'bold-and-it',
      '-emoji',
      'macs-vs-flop-vs-flops-vs-flops',
      'trailing-hashes',
    ]);
  });

  it('builds links from baseUrl, the relative path and the anchor; include/exclude apply', () => {
    expect(listNotes(folder)).toEqual(['attention.md', 'guides/optimizers.md']);
    expect(listNotes({ ...folder, exclude: ['guides/**'] })).toEqual(['attention.md']);
    expect(listNotes({ ...folder, include: ['**/*.txt'] })).toEqual(['guides/draft.txt']);
    const docs = noteDocuments(folder, 'guides/optimizers.md');
    expect(docs[1]!.url).toBe('https://github.com/me/notes/blob/main/guides/optimizers.md#adam-and-adamw');
    expect(docs[1]!.title).toBe('Optimizers › Adam and AdamW');
  });
});

describe('feeds', () => {
  it.each([
    ['blog.rss', 'rss2', ['How I learned attention in a week', 'Debugging NaN losses']],
    ['blog.atom', 'atom', ['Tokenizers & BPE']],
    ['blog.rdf', 'rss1', ['Positional encodings']],
    ['blog.json', 'json', ['The KV cache']],
  ])('%s parses as %s', (file, format, titles) => {
    const f = parseFeed(readFileSync(`${FEEDS}/${file}`, 'utf8'));
    expect(f.format).toBe(format);
    expect(f.articles.map((a) => a.title)).toEqual(titles);
    for (const a of f.articles) expect(a.url).toMatch(/^https:\/\//);
  });

  it('keeps summaries as text, resolves relative links, reads dates and tags', () => {
    const rss = parseFeed(readFileSync(`${FEEDS}/blog.rss`, 'utf8')).articles[0]!;
    expect(rss).toMatchObject({ summary: 'Notes on softmax and heads.', tags: ['transformers'], published: Date.parse('2026-06-02T10:00:00Z') });
    expect(parseFeed(readFileSync(`${FEEDS}/blog.atom`, 'utf8')).articles[0]!.url).toBe('https://atom.example/posts/bpe');
  });

  it('rejects what is not a feed', () => {
    expect(() => parseFeed('<html><body>Moved</body></html>')).toThrow(FeedParseError);
    expect(() => parseFeed('{"items": []}')).toThrow(FeedParseError);
    expect(() => parseFeed('not xml at all <')).toThrow(FeedParseError);
  });

  it.skipIf(!existsSync(SHARED_FEEDS))('every real sample in shared/fixtures/feeds parses or is rejected cleanly', () => {
    const results = Object.fromEntries(
      readdirSync(SHARED_FEEDS)
        .filter((f) => /\.(rss|atom)$/.test(f))
        .map((f) => {
          try {
            return [f, parseFeed(decodeFeed(readFileSync(`${SHARED_FEEDS}/${f}`)), 'https://feed.example/').articles.length];
          } catch (err) {
            return [f, err instanceof FeedParseError ? 'rejected' : `crashed: ${String(err)}`];
          }
        }),
    );
    expect(results).toMatchObject({
      'feedburner.atom': 25,
      'many-links.rss': 25,
      'content-encoded.rss': 7,
      'gulp-atom.atom': 10,
      'heise.atom': 15,
      'reddit-atom.rss': 24,
      'rss-1.rss': 69,
      'heraldsun.rss': 2,
      'encoding.rss': 40,
      'unrecognized.rss': 'rejected',
      'missing-fields.atom': 0,
      'incomplete-fields.atom': 0,
    });
    expect(parseFeed(decodeFeed(readFileSync(`${SHARED_FEEDS}/encoding.rss`))).articles[0]!.title).toBe('Mãe de utente é a nova presidente da Raríssimas');
  });
});

function doc(id: string, title: string, heading: string, body: string, extra: Partial<KnowledgeDoc> = {}): KnowledgeDoc {
  return {
    id,
    kind: 'section',
    source: 'notes',
    group: id,
    title: `${title} › ${heading}`,
    noteTitle: title,
    heading,
    parents: [],
    tags: [],
    body,
    url: `https://n/${id}`,
    ...extra,
  };
}

describe('search ranking', () => {
  const index = new SearchIndex();
  index.replaceGroup('a', [doc('a', 'Attention', 'Why softmax', 'softmax turns scores into weights')]);
  index.replaceGroup('b', [
    doc('b', 'Optimizers', 'Learning rate', 'mentions attention once and softmax once in passing, among many other words about schedules'),
  ]);
  index.replaceGroup('c', [doc('c', 'Tokenizers', 'Byte pair encoding', 'merges frequent pairs of characters')]);
  index.replaceGroup('d', [doc('d', 'Attention', 'Multi-head attention', 'heads attend to different subspaces')]);
  index.replaceGroup('e', [doc('e', 'Normalisation', 'Softmax temperature', 'temperature sharpens the distribution', { tags: ['sampling'] })]);

  it('ranks a heading match above a passing mention in a body', () => {
    expect(index.search('softmax')[0]!.doc.id).toMatch(/^[ae]$/);
    expect(index.search('why softmax')[0]!.doc.id).toBe('a');
  });

  it('stems: "tokenizer" finds Tokenizers, "encodings" finds encoding', () => {
    expect(index.search('tokenizer')[0]!.doc.id).toBe('c');
    expect(index.search('pair encodings')[0]!.doc.id).toBe('c');
  });

  it('tolerates a typo, but a typo never outranks an exact match', () => {
    expect(index.search('atention heads')[0]!.doc.id).toBe('d');
    expect(['a', 'e']).toContain(index.search('softmaz')[0]!.doc.id);
    // Once a document has the exact word, it comes first, however strong the typo's match.
    index.replaceGroup('f', [doc('f', 'Sampling', 'Softmaz', 'a heading spelled softmaz exactly')]);
    expect(index.search('softmaz')[0]!.doc.id).toBe('f');
    index.removeGroup('f');
  });

  it('finds a word the notes write as one ("timelimit") from two in the query, and counts it for minMatch', () => {
    const kb = new SearchIndex();
    kb.replaceGroup('admin', [doc('admin', 'SLURM admin', "Modify a job's timelimit", 'scontrol update')]);
    kb.replaceGroup('other', [doc('other', 'Other', 'Limits of time travel', 'paradoxes')]);
    // Only through the compound: neither "time" nor "limit" is in that section.
    expect(kb.search('time').map((r) => r.doc.id)).toEqual(['other']);
    expect(
      kb
        .search('time limit', { minMatch: 0.5 })
        .map((r) => r.doc.id)
        .sort(),
    ).toEqual(['admin', 'other']);
  });

  it('meets a shorter form of a long word that stems differently ("deterministic" / "determinism")', () => {
    const kb = new SearchIndex();
    kb.replaceGroup('r', [doc('r', 'Reproducibility', 'Achieve determinism', 'seeds everywhere')]);
    expect(kb.search('deterministic')[0]?.doc.id).toBe('r');
    // Never below five letters: "markdown" does not meet "mark".
    kb.replaceGroup('m', [doc('m', 'Words', 'Mark', 'a mark')]);
    expect(kb.search('markdown')).toEqual([]);
  });

  it("reads a query's first 16 distinct words, so a flood of made-up words stays cheap", () => {
    const filler = Array.from({ length: 16 }, (_, i) => `zzfiller${String.fromCharCode(97 + i)}`).join(' ');
    expect(index.search(`softmax ${filler}`).map((r) => r.doc.id)).toContain('a');
    expect(index.search(`${filler} softmax`)).toEqual([]);
  });

  it('drops stop-words: a query of only stop-words finds nothing', () => {
    expect(index.search('what is the')).toEqual([]);
  });

  it('boosts what relates to the current topic', () => {
    const plain = index.search('heads');
    expect(plain[0]!.doc.id).toBe('d');
    const withTopic = index.search('softmax', { topic: 'Normalisation' });
    expect(withTopic[0]!.doc.id).toBe('e');
  });

  it('re-indexes one group without touching the others', () => {
    index.replaceGroup('c', [doc('c', 'Tokenizers', 'WordPiece', 'greedy longest match')]);
    expect(index.search('byte pair')).toEqual([]);
    expect(index.search('wordpiece')[0]!.doc.id).toBe('c');
    expect(index.size).toBe(5);
  });

  it('the topic boost follows changes to the index (it is cached per topic)', () => {
    const scoreOf = (id: string, topic?: string) => index.search('softmax weights', topic ? { topic } : {}).find((r) => r.doc.id === id)?.score;
    expect(scoreOf('g', 'Calibration')).toBeUndefined();
    index.replaceGroup('g', [doc('g', 'Calibration', 'Temperature scaling', 'softmax weights are overconfident')]);
    // Its title is the topic's one word: 1.5 times its score without a topic.
    expect(scoreOf('g', 'Calibration')).toBeCloseTo(1.5 * scoreOf('g')!, 2);
    index.removeGroup('g');
    expect(index.search('softmax', { topic: 'Calibration' }).map((r) => r.doc.id)).not.toContain('g');
  });

  it('filters by kind, and finds nothing of a kind that does not match', () => {
    index.replaceGroup('links', [doc('l1', 'Links', 'Softmax paper', 'softmax', { kind: 'link', source: 'links' })]);
    expect(index.search('softmax', { kinds: ['link'] }).map((r) => r.doc.id)).toEqual(['l1']);
    expect(index.search('softmax', { kinds: ['section'] }).map((r) => r.doc.kind)).not.toContain('link');
    expect(index.search('softmax', { kinds: ['article'] })).toEqual([]);
    expect(index.count('link')).toBe(1);
    index.removeGroup('links');
    expect(index.search('softmax', { kinds: ['link'] })).toEqual([]);
  });

  it('minMatch keeps answers that match enough of the words', () => {
    expect(index.search('softmax banana kiwi mango', { minMatch: 0.5 })).toEqual([]);
    expect(index.search('softmax weights', { minMatch: 0.5 })[0]!.doc.id).toBe('a');
  });
});

describe('search: the pruned top-k search answers exactly as scoring every section', () => {
  it('same results and scores, with topic, kinds, minMatch and limits, after re-indexing', () => {
    // A generated corpus: common words in many sections (so that pruning happens), rare ones in few.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const vocab = [
      'attention',
      'attend',
      'softmax',
      'gradient',
      'gradients',
      'learning',
      'rate',
      'memory',
      'kernel',
      'batch',
      'cache',
      'checkpoint',
      'checkpointing',
      'node',
      'network',
      'time',
      'limit',
      'timelimit',
      ...Array.from({ length: 300 }, (_, i) => `zz${i.toString(36)}word`),
    ];
    const word = () => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(rand() * Math.log(vocab.length))) - 1)]!;
    const note = (g: number) =>
      Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, i) =>
        doc(`n${g}-${i}`, `${word()} ${word()}`, `${word()} ${word()}`, Array.from({ length: 10 + Math.floor(rand() * 50) }, word).join(' '), {
          group: `n${g}`,
          kind: rand() < 0.9 ? 'section' : 'article',
        }),
      );
    const pruned = new SearchIndex();
    const exhaustive = new SearchIndex({ exhaustive: true });
    const notes = Array.from({ length: 300 }, (_, g) => note(g));
    notes.forEach((docs, g) => [pruned, exhaustive].forEach((ix) => ix.replaceGroup(`n${g}`, docs)));
    for (let g = 0; g < 300; g += 7) {
      const docs = note(g);
      [pruned, exhaustive].forEach((ix) => ix.replaceGroup(`n${g}`, docs));
    }
    const queries = Array.from({ length: 150 }, () => Array.from({ length: 1 + Math.floor(rand() * 4) }, word).join(' '));
    const options = [
      {},
      { limit: 3 },
      { limit: 1, minMatch: 0.5, kinds: ['section'] as const },
      { limit: 5, topic: 'attention softmax' },
      { limit: 3, minMatch: 0.5, topic: 'gradient checkpointing' },
      { limit: 80 },
    ];
    for (const q of queries) {
      for (const o of options) {
        const a = pruned.search(q, o).map((r) => [r.doc.id, r.score]);
        expect(a).toEqual(exhaustive.search(q, o).map((r) => [r.doc.id, r.score]));
      }
    }
  });
});

describe('search: chat phrasing (abbreviations, compounds, spellings) and the reranking', () => {
  const kb = new SearchIndex();
  const sections: Array<[string, string, string, string]> = [
    ['perf', 'Performance', 'MFU vs HFU', 'The Model FLOPS Utilization (MFU) compares achieved throughput with the peak of the hardware.'],
    ['perf2', 'Performance', 'Batch sizes', 'A larger batch improves throughput until memory runs out.'],
    ['dist', 'Distributed training', 'Multi-node training', 'Launch one process per GPU on each multi-node host; the network matters.'],
    ['dist2', 'Distributed training', 'ZeRO', 'ZeRO-3 shards parameters, gradients and optimizer states across ranks.'],
    ['dtype', 'Data types', 'Half precision', 'bf16 has the range of fp32 with fewer mantissa bits.'],
    ['other', 'Other', 'Node care', 'Keep every node patched; a node that fails is drained.'],
    ['par', 'Parallelism', 'Splitting tensors', 'With TP (Tensor Parallelism) each layer is split across GPUs.'],
    ['nccl', 'Network debug', 'NCCL_DEBUG', 'Set NCCL_DEBUG=INFO to see what NCCL does.'],
    ['nccl2', 'Network benchmarks', 'NCCL_ALGO', 'NCCL_ALGO picks the algorithm; debug info shows which one NCCL chose, info info info debug.'],
  ];
  for (const [id, title, heading, body] of sections) kb.replaceGroup(id, [doc(id, title, heading, body)]);
  const top = (q: string) => kb.search(q, { limit: 3 })[0]?.doc.id;

  it('an abbreviation the notes define also finds its long form, and the long form its abbreviation', () => {
    // The MFU section defines "MFU"; another section only writes "model flops utilization".
    expect(top('mfu')).toBe('perf');
    kb.replaceGroup('perf3', [doc('perf3', 'Hardware', 'Efficiency', 'The model flops utilization of the whole cluster.')]);
    // It does not say "MFU": only the long form finds it.
    expect(kb.search('mfu', { limit: 5 }).map((r) => r.doc.id)).toEqual(['perf', 'perf3']);
    kb.removeGroup('perf3');
    // A section that only says "TP": "tensor parallelism" finds it through the definition.
    kb.replaceGroup('par2', [doc('par2', 'Parallelism', 'More', 'TP needs fast links.')]);
    expect(kb.search('tensor parallelism', { limit: 5 }).map((r) => r.doc.id)).toContain('par2');
    kb.removeGroup('par2');
  });

  it('a word the notes write in two ("multinode", "zero3") finds its parts', () => {
    expect(top('multinode')).toBe('dist');
    expect(top('zero3')).toBe('dist2');
    // Not a letter on its own: "p99" is not "p" and "99".
    expect(kb.search('p99')).toEqual([]);
  });

  it('a numbered name spelt out ("bfloat16") finds the short spelling the notes use ("bf16")', () => {
    expect(top('bfloat16')).toBe('dtype');
  });

  it('symbols separate words: NCCL_DEBUG=INFO is nccl, debug, info, and the heading that names it wins', () => {
    expect(top('NCCL_DEBUG=INFO output')).toBe('nccl');
    kb.replaceGroup('sym', [doc('sym', 'Environment', 'Settings', 'Set LOGLEVEL=verbose before the launch.')]);
    expect(top('verbose')).toBe('sym');
    kb.removeGroup('sym');
  });

  it('a section whose own heading names the words ranks above one that only uses them', () => {
    kb.replaceGroup('ib', [
      doc('ib-diag', 'Things to add', 'Diagnostics', 'infiniband infiniband tools', { group: 'ib', parents: ['InfiniBand'] }),
      doc('ib-net', 'Networking', 'InfiniBand', 'A fabric for clusters.', { group: 'ib' }),
    ]);
    expect(top('what is infiniband')).toBe('ib-net');
    kb.removeGroup('ib');
  });

  it('a summary that links to a chapter does not outrank it (by its links, whatever the file is called)', () => {
    const index = new SearchIndex();
    const chapter = doc('chapter', 'Performance', 'Asynchronous DataLoader', 'Use several workers in the DataLoader so that the GPUs are never starved.', {
      url: 'https://n/training/perf.md#asynchronous-dataloader',
      group: 'training/perf.md',
    });
    const course = doc(
      'course',
      'Lessons learned',
      'DataLoaders',
      'The DataLoader starved the GPUs: the data loader needed more workers, and the workers needed memory. See [Asynchronous DataLoader](../training/perf.md#asynchronous-dataloader)',
      { url: 'https://n/courses/lessons.md#dataloaders', group: 'courses/lessons.md' },
    );
    index.replaceGroup('training/perf.md', [chapter]);
    index.replaceGroup('courses/lessons.md', [course]);
    expect(index.search('dataloader workers gpus').map((r) => r.doc.id)).toEqual(['chapter', 'course']);
    // Without the link, the course's section (shorter, the words more often) comes first.
    index.replaceGroup('courses/lessons.md', [{ ...course, body: course.body.replace(/\(.*\)/, '') }]);
    expect(index.search('dataloader workers gpus').map((r) => r.doc.id)).toEqual(['course', 'chapter']);
  });

  it('a link target is not indexed: a page is not found by the path of a page it links to', () => {
    const index = new SearchIndex();
    index.replaceGroup('toc', [doc('toc', 'Contents', 'Chapters', '- [Chapter one](zebra/giraffe.md)')]);
    expect(index.search('giraffe')).toEqual([]);
    expect(index.search('chapter one')[0]!.doc.id).toBe('toc');
  });
});
