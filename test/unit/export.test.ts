import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import {
  backlogToMarkdown,
  CHAPTER_RULES,
  CSV_COLUMNS,
  csvCell,
  escapeMarkdown,
  hms,
  toChapters,
  toCsv,
  toJson,
  toMarkdown,
  type BacklogDraft,
  type BacklogDraftItem,
  type ExportData,
  type ExportQuestion,
} from '../../src/export/index.js';

const T0 = Date.UTC(2026, 5, 1, 17, 0);

function q(id: number, text: string, extra: Partial<ExportQuestion> = {}): ExportQuestion {
  return {
    id,
    text,
    state: 'open',
    source: 'command',
    askerCount: 1,
    votes: 0,
    score: 1,
    platforms: ['twitch'],
    topic: 'Attention',
    topicId: 1,
    offsetSeconds: 100 + id,
    askedAt: new Date(T0 + (100 + id) * 1000).toISOString(),
    highlighted: false,
    paid: null,
    askers: [{ platform: 'twitch', name: `viewer${id}`, askedAt: new Date(T0).toISOString() }],
    stateAt: null,
    note: null,
    answeredBy: null,
    ...extra,
  };
}

function data(
  questions: ExportQuestion[],
  topicStarts: Array<[string, number]> = [
    ['Attention', 5],
    ['Softmax', 600],
    ['Heads', 1800],
  ],
  end = 3600,
): ExportData {
  return {
    generatedAt: T0 + end * 1000,
    stream: { id: 1, startedAt: T0, endedAt: T0 + end * 1000, lastSeenAt: T0 + end * 1000 },
    topics: topicStarts.map(([title, start], i) => ({
      id: i + 1,
      title,
      source: 'command',
      startedAt: T0 + start * 1000,
      startOffsetSeconds: start,
      endOffsetSeconds: topicStarts[i + 1]?.[1] ?? end,
    })),
    questions,
    markers: [],
    vodUrl: { youtube: 'https://youtu.be/VID?t={seconds}s', twitch: 'https://www.twitch.tv/videos/1?t={hms}' },
    recordings: [],
  };
}

const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  '+SUM(A1:A9)',
  '-2+3',
  '@cmd',
  '\tTAB',
  '\rCR start',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click me](javascript:alert(1))',
  '# not a heading',
  '**bold** _it_ `code` ~~strike~~ | table |',
  'visit https://evil.example.com or www.evil.example.com',
  'or HTTPS://EVIL.EXAMPLE, evil.example/x, ftp://evil.example and mail.me@evil.example',
  '<https://evil.example> <!-- c --> &lt;b&gt; &#60;i&#62;',
  'quote "double" and, comma\nnew line',
  '😀 مرحبا עברית',
];

describe('CSV export', () => {
  it('parses back cell for cell, and no cell starts with a formula character', () => {
    const d = data(HOSTILE.map((t, i) => q(i + 1, t, { askers: [{ platform: 'youtube', name: t, askedAt: 'x' }] })));
    const rows = parse(toCsv(d), { relax_column_count: false, bom: true }) as string[][];
    expect(rows[0]![0]).toBe('id');
    expect(rows).toHaveLength(HOSTILE.length + 1);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const texts = rows.slice(1).map((r) => r[1]!.replace(/^'/, ''));
    expect(new Set(texts)).toEqual(new Set(HOSTILE));
  });

  it('quotes every cell and neutralises formulas, also after ; and tab (property)', () => {
    // The rule written out plainly, to compare with.
    const defuse = (s: string) => {
      let out = '';
      let atStart = true;
      let pending = 0;
      for (const ch of s) {
        if (atStart && /[=+\-@\t\r]/.test(ch)) out = `${out.slice(0, out.length - pending)}'${out.slice(out.length - pending)}`;
        out += ch;
        // Spaces at the start of a part are skipped over (some spreadsheets trim them).
        pending = atStart && ch === ' ' ? pending + 1 : 0;
        atStart = ch === ';' || ch === '\t' || (atStart && ch === ' ');
      }
      return out;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const cell = csvCell(s);
        expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
        const back = (parse(`${cell}\r\n`, { relax_quotes: false }) as string[][])[0]?.[0] ?? '';
        expect(back).toBe(defuse(s));
        // A spreadsheet that splits at ; sees no field that starts a formula.
        for (const field of back.split(';')) expect(field).not.toMatch(/^ *[=+\-@\t\r]/);
      }),
      { numRuns: 1000 },
    );
  });

  it('opens in a semicolon-delimited spreadsheet with no formula cell, in UTF-8 with a BOM', () => {
    const csv = toCsv(data([q(1, '!q x;=1+1'), q(2, 'Ünïcödé; +SUM(A1) 1e-3, -5')]));
    expect(csv.startsWith('\uFEFF"id"')).toBe(true);
    const rows = parse(csv.slice(1), { delimiter: ';', relax_quotes: true, relax_column_count: true }) as string[][];
    for (const row of rows) for (const field of row) expect(field.trim()).not.toMatch(/^[=+\-@\t\r]/);
    const byComma = parse(csv, { bom: true }) as string[][];
    expect(byComma[1]![1]).toBe("!q x;'=1+1");
    expect(byComma[2]![1]).toBe("Ünïcödé;' +SUM(A1) 1e-3, -5");
  });
});

describe('Markdown export', () => {
  it('parses into front matter, headings per topic, and links only where Lectern put them', () => {
    const d = data(HOSTILE.map((t, i) => q(i + 1, t, { topicId: (i % 3) + 1, askers: [{ platform: 'twitch', name: `<b>${t}</b>`, askedAt: 'x' }] })));
    const md = toMarkdown(d);
    expect(md.startsWith('---\ntitle: "Questions from the stream of 2026-06-01"\ndate: 2026-06-01\ntags: ["Attention", "Softmax", "Heads"]\n---\n')).toBe(true);
    const tagged = toMarkdown(
      data(
        [],
        [
          ['<img src=x onerror=alert(1)>Attention <b>heads</b>', 0],
          ['Softmax', 600],
        ],
      ),
    );
    expect(tagged).toContain('tags: ["Attention heads", "Softmax"]');
    const tokens = marked.lexer(md.replace(/^---[\s\S]*?---\n/, ''));
    const headings = tokens.filter((t) => t.type === 'heading').map((t) => (t as { text: string }).text);
    expect(headings).toEqual([
      'Questions from the stream of 2026-06-01',
      'Most asked',
      'Attention (00:05–10:00)',
      'Softmax (10:00–30:00)',
      'Heads (30:00–1:00:00)',
    ]);
    expect(tokens.some((t) => t.type === 'html')).toBe(false);
    const html = marked.parse(md) as string;
    expect(html).not.toMatch(/<img|<script|<b>|href="javascript/i);
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBe(HOSTILE.length);
    for (const l of links) expect(l).toMatch(/^https:\/\/www\.twitch\.tv\/videos\/1\?t=\d+m\d+s$/);
    // Viewer text survives, as text.
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
  });

  it('escapes viewer text just enough that it renders as the same text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).filter((s) => !/[\r\n]/.test(s) && s.trim() === s && s.length > 0),
        (s) => {
          const html = (marked.parseInline(escapeMarkdown(s)) as string)
            .replace(/&quot;/g, '"')
            .replace(/&#39;/g, "'")
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&');
          expect(html).toBe(s);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('ranks by score and marks answered questions', () => {
    const d = data([q(1, 'low'), q(2, 'high', { score: 7, votes: 4, askerCount: 3, state: 'answered' }), q(3, 'gone', { state: 'dismissed' })]);
    const md = toMarkdown(d);
    expect(md.indexOf('**#2** high')).toBeLessThan(md.indexOf('**#1** low'));
    expect(md).toMatch(
      /\*\*#2\*\* high {2}\n {3}asked by viewer2 \(twitch\); 4 votes; at \[01:42\]\(https:\/\/www\.twitch\.tv\/videos\/1\?t=1m42s\); answered/,
    );
    expect(md).not.toContain('gone');
  });
});

describe('JSON export', () => {
  it('has every documented field for each question', () => {
    const parsed = JSON.parse(toJson(data([q(1, 'why?', { platforms: ['twitch', 'youtube'] })]))) as {
      schemaVersion: number;
      questions: Array<Record<string, unknown>>;
      topics: unknown[];
    };
    expect(parsed.schemaVersion).toBe(3);
    expect(parsed.questions[0]).toMatchObject({
      id: 1,
      text: 'why?',
      askerCount: 1,
      votes: 0,
      state: 'open',
      platforms: ['twitch', 'youtube'],
      topic: 'Attention',
      offsetSeconds: 101,
      vodLink: 'https://www.twitch.tv/videos/1?t=1m41s',
      paid: null,
    });
    expect(parsed.topics).toHaveLength(3);
  });
});

describe('paid and removed questions', () => {
  const paid = { platform: 'youtube', amount: 5, currency: 'EUR', display: '€5.00' };
  const qs = [q(1, 'why softmax?', { paid, score: 4 }), q(2, 'a deleted question', { state: 'removed' }), q(3, 'what is a monad?')];

  it('JSON keeps removed questions for the record and gives each its payment or null', () => {
    const parsed = JSON.parse(toJson(data(qs))) as { questions: Array<Record<string, unknown>> };
    expect(parsed.questions.map((x) => [x['id'], x['state'], x['paid']])).toEqual([
      [1, 'open', paid],
      [2, 'removed', null],
      [3, 'open', null],
    ]);
  });

  it('the blog draft and the CSV leave removed questions out and show what was paid', () => {
    const md = toMarkdown(data(qs));
    expect(md).not.toContain('deleted question');
    expect(md).toMatch(/why softmax\?[^\n]*\n[^\n]*; €5\.00 paid;/);
    const rows = parse(toCsv(data(qs)), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r['id'])).toEqual(['1', '3']);
    expect(rows[0]!['paid']).toBe('€5.00');
  });
});

describe('chapters', () => {
  const lines = (d: ExportData) => toChapters(d).text.trim().split('\n');
  const seconds = (l: string) =>
    l
      .split(' ')[0]!
      .split(':')
      .map(Number)
      .reduce((a, b) => a * 60 + b, 0);

  it('starts at 00:00 and lists topics in order', () => {
    expect(lines(data([]))).toEqual(['00:00 Attention', '10:00 Softmax', '30:00 Heads']);
    expect(
      lines(
        data(
          [],
          [
            ['A', 60],
            ['B', 600],
            ['C', 4000],
          ],
          5000,
        ),
      ),
    ).toEqual(['0:00:00 Intro', '0:01:00 A', '0:10:00 B', '1:06:40 C']);
  });

  it('merges topics shorter than 10 s and warns when fewer than three remain', () => {
    const d = data(
      [],
      [
        ['A', 0],
        ['B', 100],
        ['C', 105],
        ['D', 300],
      ],
      400,
    );
    // B lasts 5 s: it joins A, and C starts where it ended.
    expect(lines(d)).toEqual(['00:00 A', '01:45 C', '05:00 D']);
    const short = toChapters(data([], [['Only', 0]], 100));
    expect(short.warnings[0]).toMatch(/only 1 chapter/);
  });

  it('always obeys YouTube rules when it reports no warning (property)', () => {
    const timeline = fc
      .array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E'), fc.integer({ min: 0, max: 7200 })), { maxLength: 12 })
      .map((ts) => ts.sort((a, b) => a[1] - b[1]));
    fc.assert(
      fc.property(timeline, fc.integer({ min: 0, max: 600 }), (ts, extra) => {
        const end = (ts[ts.length - 1]?.[1] ?? 0) + extra;
        const c = toChapters(data([], ts, end));
        const ls = c.text.trim().split('\n');
        const starts = ls.map(seconds);
        expect(starts[0]).toBe(0);
        for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(CHAPTER_RULES.minSeconds);
        if (c.warnings.length === 0) expect(ls.length).toBeGreaterThanOrEqual(3);
        else expect(ls.length).toBeLessThan(3);
      }),
      { numRuns: 500 },
    );
  });

  it('formats Twitch times', () => {
    expect(hms(0)).toBe('0s');
    expect(hms(83)).toBe('1m23s');
    expect(hms(3723)).toBe('1h2m3s');
    expect(hms(3600)).toBe('1h0m0s');
  });
});

/** What a reader sees of an HTML fragment: tags dropped, character references decoded. */
function visible(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#\d+|quot|lt|gt|amp);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ({ quot: '"', lt: '<', gt: '>', amp: '&' } as Record<string, string>)[e.toLowerCase()]!;
  });
}

/**
 * The list items of a rendered draft: the number in bold, the text after it up to the first line
 * break (the question as shown), and whether that text holds any HTML element.
 */
function renderedItems(md: string, options: { gfm: boolean }): Array<{ id: number; shown: string; element: boolean; html: string }> {
  const html = marked.parse(md.replace(/^---[\s\S]*?---\n/, ''), { async: false, ...options });
  return [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => {
    const first = m[1]!.split('<br>')[0]!;
    const head = /^<strong>#(\d+)<\/strong> ([\s\S]*)$/.exec(first);
    if (!head) throw new Error(`unexpected item: ${m[1]}`);
    return { id: Number(head[1]), shown: visible(head[2]!), element: /</.test(head[2]!), html: m[1]! };
  });
}

/** Realistic and hostile question texts that must read exactly as typed. */
const READ_AS_TYPED = [
  'Attention: queries?',
  'hi!',
  'Alice_Learns',
  '@MariaCodes',
  "what's 2*3*4?",
  'use a_b_c',
  '# not a heading',
  '1. not a list',
  '- not a bullet either',
  '> not a quote',
  '<b>x</b>',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '![img](https://evil.example/x.png)',
  '<https://evil.example>',
  'visit https://evil.example.com or www.evil.example.com or evil.example/x',
  'write to maria@evil.example',
  '**bold** _it_ `code` ~~strike~~ ~one~ | table |',
  'a & b, &amp; and &copy; stay',
  'back\\slash \\* and a trailing one\\',
  'is 3 < 4 > 2?',
  'why do we need softmax 😀🙏🏽 in attention?',
  '注意力机制中的查询是什么？',
  'Ünïcödé, naïve café',
];

/** Characters for property tests: Markdown's active ones often, words, spaces, any grapheme. */
const MARKDOWNISH = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'\\`*_{}[]()#+-.!|~<>:@&;=/"\'?'.split('')) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'w', 'W', 'x', '1', '2', 's', 'p', 'www', 'http', 'https', 'mailto', ' ', '  ', '\n', '\t') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);

describe('Markdown draft as a reader sees it', () => {
  const texts = new Map(READ_AS_TYPED.map((t, i) => [i + 1, t]));
  const d = data(READ_AS_TYPED.map((t, i) => q(i + 1, t, { topicId: (i % 3) + 1, score: 100 - i, askers: [{ platform: 'youtube', name: t, askedAt: 'x' }] })));
  const md = toMarkdown(d);

  it('escapes only what would change the rendering', () => {
    for (const t of [
      'Attention: queries?',
      'hi!',
      'Alice_Learns',
      '@MariaCodes',
      'use a_b_c',
      '# not a heading',
      '1. not a list',
      'why do we need softmax 😀🙏🏽 in attention?',
      '注意力机制中的查询是什么？',
    ]) {
      expect(md).toContain(`** ${t}  \n`);
    }
    expect(md).toContain("** what's 2\\*3\\*4?  \n");
    expect(md).toContain('** \\<b>x\\</b>  \n');
  });

  for (const gfm of [true, false]) {
    it(`renders each question's text exactly as typed, with no element of its own (marked, gfm ${gfm})`, () => {
      const items = renderedItems(md, { gfm });
      // Five under "Most asked", then each once under its topic.
      expect(items).toHaveLength(READ_AS_TYPED.length + 5);
      for (const it of items) {
        const expected = texts.get(it.id)!;
        const shownText =
          it.html.startsWith(`<strong>#${it.id}</strong>`) && !it.html.includes('<br>')
            ? it.shown.replace(/ \(score \d+: \d+ askers?, \d+ votes?\)$/, '')
            : it.shown;
        expect(shownText).toBe(expected);
        expect(it.element).toBe(false);
      }
      const html = marked.parse(md, { async: false, gfm });
      // The only links are Lectern's VOD links; no viewer URL or address became one.
      for (const [, href] of html.matchAll(/href="([^"]+)"/g)) expect(href).toMatch(/^https:\/\/www\.twitch\.tv\/videos\/1\?t=\d+m\d+s$/);
      expect(html).not.toMatch(/<img|<script|<b>|<em>|<strong>(?!#\d+<)|<del>|<code>|<h[3-6]|<blockquote/i);
    });
  }

  it('renders any text as that text on one line, in the draft and the backlog draft (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: MARKDOWNISH, maxLength: 60 }), fc.boolean(), (s, gfm) => {
        const oneLine = s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
        // Control characters other than tab are not text a reader sees.
        fc.pre(oneLine.length > 0 && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(oneLine));
        const items = renderedItems(toMarkdown(data([q(1, s)])), { gfm });
        const backlog = renderedItems(
          backlogToMarkdown({
            generatedAt: T0,
            topic: null,
            items: [{ id: 1, text: s, score: 1, askerCount: 1, votes: 0, paid: [], topics: [], note: null, answeredBy: null, asked: [] }],
            viewers: 1,
          }),
          { gfm },
        );
        for (const it of [items[1]!, backlog[0]!]) {
          expect(it.element).toBe(false);
          expect(it.shown).toBe(oneLine);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('Markdown draft content', () => {
  it('gives no section to a topic without kept questions, merges a topic set twice in a row, and counts distinct topics', () => {
    const d = data(
      [
        q(1, 'why softmax?', { topicId: 1 }),
        q(2, 'how many heads?', { topicId: 3 }),
        q(3, 'dropped', { topicId: 2, state: 'dismissed' }),
        q(4, 'again softmax', { topicId: 4 }),
      ],
      [
        ['Softmax', 0],
        ['Heads', 300],
        ['Multi-head attention', 600],
        [' multi-head  Attention', 900],
        ['Softmax', 1200],
        ['Wrap-up', 1500],
      ],
      1800,
    );
    const md = toMarkdown(d);
    expect(md).not.toMatch(/No questions/);
    const headings = marked
      .lexer(md.replace(/^---[\s\S]*?---\n/, ''))
      .filter((t) => t.type === 'heading')
      .map((t) => (t as { text: string }).text);
    // Heads (only a dismissed question), the second Softmax and Wrap-up have no section.
    expect(headings).toEqual(['Questions from the stream of 2026-06-01', 'Most asked', 'Softmax (00:00–05:00)', 'Multi-head attention (10:00–20:00)']);
    expect(md).toMatch(/## Multi-head attention \(10:00–20:00\)\n\n1\. \*\*#2\*\* how many heads\?[^\n]*\n[^\n]*\n2\. \*\*#4\*\* again softmax/);
    expect(md).toContain('3 questions from 3 viewers, over 4 topics.');
    expect(md).toContain('tags: ["Softmax", "Heads", "Multi-head attention", "Wrap-up"]');
    expect(toMarkdown(data([q(1, 'x')], [['Only', 0]]))).toContain('1 question from 1 viewer, over 1 topic.');
  });

  it('lists at most five under "Most asked", by score, and leaves the section out when nothing was asked', () => {
    const md = toMarkdown(data(Array.from({ length: 8 }, (_, i) => q(i + 1, `question ${i + 1}`, { score: i === 6 ? 50 : i }))));
    const most = md.slice(md.indexOf('## Most asked'), md.indexOf('## Attention'));
    expect([...most.matchAll(/\*\*#(\d+)\*\*/g)].map((m) => Number(m[1]))).toEqual([7, 8, 6, 5, 4]);
    expect(most).toContain('1. **#7** question 7 (score 50: 1 asker, 0 votes)');
    const empty = toMarkdown(data([]));
    expect(empty).not.toContain('Most asked');
    expect(empty).toContain('0 questions from 0 viewers, over 3 topics.');
    expect(empty.trimEnd().endsWith('over 3 topics.')).toBe(true);
  });

  it("links each question's note section, the VOD where it was answered live, and the post that answers it", () => {
    const note = { title: 'Attention › Queries, keys & values', url: 'https://github.com/me/notes/blob/main/attention.md#queries' };
    const d = data([
      q(1, 'what is a query?', { note, state: 'answered', stateAt: new Date(T0 + 754_000).toISOString(), score: 3 }),
      q(2, 'and a key?', {
        state: 'answered',
        answeredBy: { title: 'Keys, explained', url: 'https://blog.example/keys' },
        stateAt: new Date(T0 + 900_000).toISOString(),
        score: 2,
      }),
      q(3, 'open one', { note: { title: 'Bad', url: 'javascript:alert(1)' } }),
    ]);
    const md = toMarkdown(d);
    expect(md).toContain(
      '**#1** what is a query?  \n   asked by viewer1 (twitch); 0 votes; at [01:41](https://www.twitch.tv/videos/1?t=1m41s); answered at [12:34](https://www.twitch.tv/videos/1?t=12m34s)  \n   Notes: [Attention › Queries, keys & values](https://github.com/me/notes/blob/main/attention.md#queries)\n',
    );
    expect(md).toContain('; answered in [Keys, explained](https://blog.example/keys)\n');
    expect(md).toContain('not answered yet  \n   Notes: Bad (javascript:alert(1))\n');
    const html = marked.parse(md, { async: false });
    expect(html).toContain('answered at <a href="https://www.twitch.tv/videos/1?t=12m34s">12:34</a>');
    expect(html).toContain('Notes: <a href="https://github.com/me/notes/blob/main/attention.md#queries">Attention › Queries, keys &amp; values</a>');
    expect(html).not.toContain('href="javascript');
    // No VOD template: the time, unlinked.
    const bare = toMarkdown({ ...d, vodUrl: {} });
    expect(bare).toContain('at 01:41; answered at 12:34  \n');
  });
});

describe('CSV export: askers and the new columns', () => {
  const d = data([
    q(1, 'why softmax?', {
      platforms: ['youtube'],
      askers: [
        { platform: 'youtube', name: '@MariaCodes', askedAt: 'x' },
        { platform: 'twitch', name: 'alice_learns', askedAt: 'x' },
        { platform: 'youtube', name: '@=cmd', askedAt: 'x' },
      ],
      state: 'answered',
      stateAt: new Date(T0 + 754_000).toISOString(),
      note: { title: 'Softmax › Why', url: 'https://notes.example/s.md#why' },
    }),
    q(2, 'what about heads?', {
      answeredBy: { title: 'Heads', url: 'https://blog.example/heads' },
      state: 'answered',
      stateAt: new Date(T0 + 800_000).toISOString(),
    }),
  ]);

  it('keeps the old columns in order and appends the new ones', () => {
    expect(CSV_COLUMNS.slice(0, 14)).toEqual([
      'id',
      'text',
      'state',
      'score',
      'asker_count',
      'votes',
      'paid',
      'platforms',
      'topic',
      'offset_seconds',
      'vod_link',
      'asked_at',
      'source',
      'askers',
    ]);
    expect(CSV_COLUMNS.slice(14)).toEqual(['state_at', 'note_title', 'note_url', 'answered_by_url', 'answer_vod_link']);
    const rows = parse(toCsv(d), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows[0]).toMatchObject({
      id: '1',
      // The guard still applies after a `;`: the apostrophe goes right after it.
      askers: "MariaCodes (youtube handle); alice_learns (twitch);' =cmd (youtube handle)",
      state_at: new Date(T0 + 754_000).toISOString(),
      note_title: 'Softmax › Why',
      note_url: 'https://notes.example/s.md#why',
      answered_by_url: '',
      answer_vod_link: 'https://youtu.be/VID?t=754s',
    });
    expect(rows[1]).toMatchObject({ id: '2', askers: 'viewer2 (twitch)', note_title: '', answered_by_url: 'https://blog.example/heads', answer_vod_link: '' });
  });

  it('read with ; as the delimiter, no field starts a formula, and the handle stays readable', () => {
    const csv = toCsv(d);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.slice(1), { delimiter: ';', relax_quotes: true, relax_column_count: true }) as string[][];
    for (const row of rows) for (const field of row) expect(field.trim()).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain('"MariaCodes (youtube handle); alice_learns (twitch);');
    expect(csv).not.toContain("'@MariaCodes");
  });
});

describe('JSON export, version 3', () => {
  it('carries stateAt, note, answeredBy and the VOD link of a live answer', () => {
    const note = { title: 'Softmax › Why', url: 'https://notes.example/s.md#why' };
    const post = { title: 'Heads', url: 'https://blog.example/heads' };
    const parsed = JSON.parse(
      toJson(
        data([
          q(1, 'why?', { state: 'answered', stateAt: new Date(T0 + 754_000).toISOString(), note }),
          q(2, 'heads?', { state: 'answered', stateAt: new Date(T0 + 800_000).toISOString(), answeredBy: post }),
          q(3, 'open'),
        ]),
      ),
    ) as { schemaVersion: number; questions: Array<Record<string, unknown>> };
    expect(parsed.schemaVersion).toBe(3);
    expect(parsed.questions[0]).toMatchObject({
      stateAt: new Date(T0 + 754_000).toISOString(),
      note,
      answeredBy: null,
      answerVodLink: 'https://www.twitch.tv/videos/1?t=12m34s',
    });
    expect(parsed.questions[1]).toMatchObject({ answeredBy: post, note: null, answerVodLink: null });
    expect(parsed.questions[2]).toMatchObject({ stateAt: null, note: null, answeredBy: null, answerVodLink: null });
  });
});

describe('backlog draft', () => {
  const GEN = Date.UTC(2026, 5, 10, 9);
  const item = (id: number, text: string, extra: Partial<BacklogDraftItem> = {}): BacklogDraftItem => ({
    id,
    text,
    score: 10 - id,
    askerCount: 1,
    votes: 0,
    paid: [],
    topics: ['Attention'],
    note: null,
    answeredBy: null,
    asked: [{ streamId: 4, number: id, askedAt: '2026-06-01T17:05:00.000Z', vodLink: `https://youtu.be/A?t=${id}s` }],
    ...extra,
  });
  const draft = (items: BacklogDraftItem[], topic: string | null = 'Attention', viewers = items.reduce((n, i) => n + i.askerCount, 0)): BacklogDraft => ({
    generatedAt: GEN,
    topic,
    items,
    viewers,
  });

  it('has front matter, a summary line with the right plurals, and the items in the order given', () => {
    const md = backlogToMarkdown(
      draft([
        item(2, 'why is softmax needed?', {
          askerCount: 3,
          votes: 1,
          paid: ['€5.00', '100 bits'],
          note: { title: 'Softmax › Why', url: 'https://notes.example/s.md#why' },
          asked: [
            { streamId: 7, number: 3, askedAt: '2026-06-08T17:00:00.000Z', vodLink: null },
            { streamId: 4, number: 12, askedAt: '2026-06-01T17:05:00.000Z', vodLink: 'https://youtu.be/A?t=300s' },
          ],
        }),
        item(1, 'how many heads?'),
      ]),
    );
    expect(
      md.startsWith(
        '---\ntitle: "Open questions: Attention"\ndate: 2026-06-10\ntags: ["Attention"]\n---\n\n# Open questions: Attention\n\n2 questions from 4 viewers over 2 streams.\n\n',
      ),
    ).toBe(true);
    expect(md).toContain(
      '1. **#2** why is softmax needed?  \n' +
        '   asked by 3 viewers; 1 vote; €5.00, 100 bits paid  \n' +
        '   came up in stream 4 on [2026-06-01](https://youtu.be/A?t=300s), stream 7 on 2026-06-08  \n' +
        '   Notes: [Softmax › Why](https://notes.example/s.md#why)\n' +
        '2. **#1** how many heads?  \n' +
        '   asked by 1 viewer; 0 votes  \n' +
        '   came up in stream 4 on [2026-06-01](https://youtu.be/A?t=1s)\n',
    );
    expect(backlogToMarkdown(draft([item(1, 'x')]))).toContain('1 question from 1 viewer over 1 stream.');
    // The viewers are counted once each by whoever builds the draft, not added up per item.
    expect(backlogToMarkdown(draft([item(1, 'x', { askerCount: 2 }), item(2, 'y', { askerCount: 2 })], null, 3))).toContain(
      '2 questions from 3 viewers over 1 stream.',
    );
    const empty = backlogToMarkdown(draft([], null));
    expect(empty).toBe('---\ntitle: "Open questions"\ndate: 2026-06-10\ntags: []\n---\n\n# Open questions\n\n0 questions from 0 viewers over 0 streams.\n');
  });

  it('over every topic: tags from the items, and each item names its topics', () => {
    const md = backlogToMarkdown(draft([item(1, 'a?', { topics: ['Attention', 'Heads'] }), item(2, 'b?', { topics: ['<b>Softmax</b>'] })], null));
    expect(md).toContain('title: "Open questions"\n');
    expect(md).toContain('tags: ["Attention", "Heads", "Softmax"]');
    expect(md).toContain('asked by 1 viewer; 0 votes; topics: Attention, Heads  \n');
    expect(md).toContain('asked by 1 viewer; 0 votes; topic: \\<b>Softmax\\</b>  \n');
    expect(marked.parse(md, { async: false })).not.toContain('<b>');
  });

  for (const gfm of [true, false]) {
    it(`renders each item's text exactly as typed, with no element and no link of its own (marked, gfm ${gfm})`, () => {
      const md = backlogToMarkdown(
        draft(
          READ_AS_TYPED.map((t, i) => item(i + 1, t, { topics: [t] })),
          '<img src=x onerror=alert(1)> [x](javascript:alert(1))',
        ),
      );
      expect(md).toContain('title: "Open questions: [x](javascript:alert(1))"');
      const items = renderedItems(md, { gfm });
      expect(items.map((i) => i.shown)).toEqual(READ_AS_TYPED);
      for (const i of items) expect(i.element).toBe(false);
      const html = marked.parse(md.replace(/^---[\s\S]*?---\n/, ''), { async: false, gfm });
      for (const [, href] of html.matchAll(/href="([^"]+)"/g)) expect(href).toMatch(/^https:\/\/youtu\.be\/A\?t=\d+s$/);
      expect(html).not.toMatch(/<img|<script|<b>|<em>|<del>|<code>|<h[2-6]|<blockquote/i);
    });
  }
});
