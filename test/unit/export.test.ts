import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { CHAPTER_RULES, csvCell, escapeMarkdown, hms, toChapters, toCsv, toJson, toMarkdown, type ExportData, type ExportQuestion } from '../../src/export/index.js';

const T0 = Date.UTC(2026, 5, 1, 17, 0);

function q(id: number, text: string, extra: Partial<ExportQuestion> = {}): ExportQuestion {
  return {
    id, text, state: 'open', source: 'command', askerCount: 1, votes: 0, score: 1, platforms: ['twitch'], topic: 'Attention', topicId: 1,
    offsetSeconds: 100 + id, askedAt: new Date(T0 + (100 + id) * 1000).toISOString(), highlighted: false, paid: null,
    askers: [{ platform: 'twitch', name: `viewer${id}`, askedAt: new Date(T0).toISOString() }], stateAt: null, note: null, answeredBy: null, ...extra,
  };
}

function data(questions: ExportQuestion[], topicStarts: Array<[string, number]> = [['Attention', 5], ['Softmax', 600], ['Heads', 1800]], end = 3600): ExportData {
  return {
    generatedAt: T0 + end * 1000,
    stream: { id: 1, startedAt: T0, endedAt: T0 + end * 1000, lastSeenAt: T0 + end * 1000 },
    topics: topicStarts.map(([title, start], i) => ({ id: i + 1, title, source: 'command', startedAt: T0 + start * 1000, startOffsetSeconds: start, endOffsetSeconds: topicStarts[i + 1]?.[1] ?? end })),
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
    const tagged = toMarkdown(data([], [['<img src=x onerror=alert(1)>Attention <b>heads</b>', 0], ['Softmax', 600]]));
    expect(tagged).toContain('tags: ["Attention heads", "Softmax"]');
    const tokens = marked.lexer(md.replace(/^---[\s\S]*?---\n/, ''));
    const headings = tokens.filter((t) => t.type === 'heading').map((t) => (t as { text: string }).text);
    expect(headings).toEqual(['Questions from the stream of 2026-06-01', 'Most asked', 'Attention (00:05–10:00)', 'Softmax (10:00–30:00)', 'Heads (30:00–1:00:00)']);
    expect(tokens.some((t) => t.type === 'html')).toBe(false);
    const html = marked.parse(md) as string;
    expect(html).not.toMatch(/<img|<script|<b>|href="javascript/i);
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBe(HOSTILE.length);
    for (const l of links) expect(l).toMatch(/^https:\/\/www\.twitch\.tv\/videos\/1\?t=\d+m\d+s$/);
    // Viewer text survives, as text.
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
  });

  it('escapes every Markdown-active character of viewer text (property: renders as the same text)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }).filter((s) => !/[\r\n]/.test(s) && s.trim() === s && s.length > 0), (s) => {
        const html = (marked.parseInline(escapeMarkdown(s)) as string).replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        expect(html).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('ranks by score and marks answered questions', () => {
    const d = data([q(1, 'low'), q(2, 'high', { score: 7, votes: 4, askerCount: 3, state: 'answered' }), q(3, 'gone', { state: 'dismissed' })]);
    const md = toMarkdown(d);
    expect(md.indexOf('**#2** high')).toBeLessThan(md.indexOf('**#1** low'));
    expect(md).toMatch(/\*\*#2\*\* high {2}\n {3}asked by viewer2 \(twitch\); 4 votes; at \[01:42\]\(<https:\/\/www\.twitch\.tv\/videos\/1\?t=1m42s>\); answered/);
    expect(md).not.toContain('gone');
  });
});

describe('JSON export', () => {
  it('has every documented field for each question', () => {
    const parsed = JSON.parse(toJson(data([q(1, 'why?', { platforms: ['twitch', 'youtube'] })]))) as { schemaVersion: number; questions: Array<Record<string, unknown>>; topics: unknown[] };
    expect(parsed.schemaVersion).toBe(2);
    expect(parsed.questions[0]).toMatchObject({ id: 1, text: 'why?', askerCount: 1, votes: 0, state: 'open', platforms: ['twitch', 'youtube'], topic: 'Attention', offsetSeconds: 101, vodLink: 'https://www.twitch.tv/videos/1?t=1m41s', paid: null });
    expect(parsed.topics).toHaveLength(3);
  });
});

describe('paid and removed questions', () => {
  const paid = { platform: 'youtube', amount: 5, currency: 'EUR', display: '€5.00' };
  const qs = [q(1, 'why softmax?', { paid, score: 4 }), q(2, 'a deleted question', { state: 'removed' }), q(3, 'what is a monad?')];

  it('JSON keeps removed questions for the record and gives each its payment or null', () => {
    const parsed = JSON.parse(toJson(data(qs))) as { questions: Array<Record<string, unknown>> };
    expect(parsed.questions.map((x) => [x['id'], x['state'], x['paid']])).toEqual([[1, 'open', paid], [2, 'removed', null], [3, 'open', null]]);
  });

  it('the blog draft and the CSV leave removed questions out and show what was paid', () => {
    const md = toMarkdown(data(qs));
    expect(md).not.toContain('deleted question');
    expect(md).toMatch(/why softmax\?[^\n]*\n[^\n]*€5\\\.00 paid/);
    const rows = parse(toCsv(data(qs)), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r['id'])).toEqual(['1', '3']);
    expect(rows[0]!['paid']).toBe('€5.00');
  });
});

describe('chapters', () => {
  const lines = (d: ExportData) => toChapters(d).text.trim().split('\n');
  const seconds = (l: string) => l.split(' ')[0]!.split(':').map(Number).reduce((a, b) => a * 60 + b, 0);

  it('starts at 00:00 and lists topics in order', () => {
    expect(lines(data([]))).toEqual(['00:00 Attention', '10:00 Softmax', '30:00 Heads']);
    expect(lines(data([], [['A', 60], ['B', 600], ['C', 4000]], 5000))).toEqual(['0:00:00 Intro', '0:01:00 A', '0:10:00 B', '1:06:40 C']);
  });

  it('merges topics shorter than 10 s and warns when fewer than three remain', () => {
    const d = data([], [['A', 0], ['B', 100], ['C', 105], ['D', 300]], 400);
    // B lasts 5 s: it joins A, and C starts where it ended.
    expect(lines(d)).toEqual(['00:00 A', '01:45 C', '05:00 D']);
    const short = toChapters(data([], [['Only', 0]], 100));
    expect(short.warnings[0]).toMatch(/only 1 chapter/);
  });

  it('always obeys YouTube rules when it reports no warning (property)', () => {
    const timeline = fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E'), fc.integer({ min: 0, max: 7200 })), { maxLength: 12 }).map((ts) => ts.sort((a, b) => a[1] - b[1]));
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
