import { XMLParser } from 'fast-xml-parser';

export interface Article {
  readonly title: string;
  readonly url: string;
  readonly summary: string;
  readonly published?: number;
  readonly tags: readonly string[];
}

export interface ParsedFeed {
  readonly format: 'rss2' | 'rss1' | 'atom' | 'json';
  readonly title: string;
  readonly articles: readonly Article[];
}

export class FeedParseError extends Error {}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: true,
  processEntities: true,
  htmlEntities: true,
  parseTagValue: false,
  trimValues: true,
});

const arr = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Text of an element that may be a string, `{ '#text': ... }` or missing. */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as Record<string, unknown>)['#text']);
  return '';
}

/** HTML to plain text for the index: tags dropped, entities decoded, whitespace folded. */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\s+/g, ' ')
    .trim();
}

const date = (s: string): number | undefined => {
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
};

/** An absolute http(s) URL, resolving a relative one against the feed's own address. */
function httpUrl(u: string, base?: string): string | undefined {
  const s = u.trim();
  if (!s) return undefined;
  try {
    const url = new URL(s, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes feed bytes with the charset its XML declaration (or the server) names. */
export function decodeFeed(bytes: Uint8Array, contentType?: string): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ?? /charset=([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(declared).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function fromJsonFeed(doc: Record<string, unknown>): ParsedFeed {
  const items = arr(doc['items'] as Array<Record<string, unknown>>);
  return {
    format: 'json',
    title: text(doc['title']),
    articles: items.flatMap((i) => {
      const url = httpUrl(text(i['url']) || text(i['external_url']), text(doc['home_page_url']) || undefined);
      const title = text(i['title']) || stripHtml(text(i['summary'])).slice(0, 80);
      if (!url || !title) return [];
      const published = date(text(i['date_published']) || text(i['date_modified']));
      return [
        {
          title,
          url,
          summary: stripHtml(text(i['summary']) || text(i['content_text']) || text(i['content_html'])),
          tags: arr(i['tags'] as string[]).map(String),
          ...(published ? { published } : {}),
        },
      ];
    }),
  };
}

function atomLink(entry: Record<string, unknown>, base?: string): string | undefined {
  const links = arr(entry['link'] as Array<Record<string, string>> | Record<string, string>);
  const alternate = links.find((l) => typeof l === 'object' && (!l['@rel'] || l['@rel'] === 'alternate') && l['@href']);
  return httpUrl(alternate?.['@href'] ?? '', base) ?? httpUrl(text(entry['id']));
}

/**
 * Parses RSS 2.0 (and 0.9x), RSS 1.0 (RDF), Atom and JSON Feed into articles. Items without a
 * title or an http(s) link are left out; anything that is not a feed is a FeedParseError.
 */
export function parseFeed(body: string, feedUrl?: string): ParsedFeed {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new FeedParseError('not valid JSON');
    }
    if (!doc || typeof doc !== 'object' || !String((doc as Record<string, unknown>)['version'] ?? '').includes('jsonfeed.org'))
      throw new FeedParseError('JSON, but not a JSON Feed');
    return fromJsonFeed(doc as Record<string, unknown>);
  }
  let doc: Record<string, unknown>;
  try {
    doc = xml.parse(trimmed, true) as Record<string, unknown>;
  } catch (err) {
    throw new FeedParseError(`not valid XML: ${(err as Error).message.split('\n')[0]}`);
  }
  const rss = doc['rss'] as Record<string, unknown> | undefined;
  const rdf = doc['RDF'] as Record<string, unknown> | undefined;
  const feed = doc['feed'] as Record<string, unknown> | undefined;
  if (rss || rdf) {
    const channel = (rss?.['channel'] ?? rdf?.['channel'] ?? {}) as Record<string, unknown>;
    const items = arr((rss ? channel['item'] : rdf?.['item']) as Array<Record<string, unknown>>);
    return {
      format: rss ? 'rss2' : 'rss1',
      title: text(channel['title']),
      articles: items.flatMap((i) => {
        const url = httpUrl(text(i['link']), feedUrl) ?? httpUrl(text(i['guid']));
        const title = stripHtml(text(i['title']));
        if (!url || !title) return [];
        const published = date(text(i['pubDate']) || text(i['date']));
        const summary = stripHtml(text(i['description']) || text(i['encoded']));
        return [
          {
            title,
            url,
            summary,
            tags: arr(i['category'] as unknown[])
              .map(text)
              .filter(Boolean),
            ...(published ? { published } : {}),
          },
        ];
      }),
    };
  }
  if (feed) {
    const base = atomLink(feed, feedUrl) ?? feedUrl;
    return {
      format: 'atom',
      title: text(feed['title']),
      articles: arr(feed['entry'] as Array<Record<string, unknown>>).flatMap((e) => {
        const url = atomLink(e, base);
        const title = stripHtml(text(e['title']));
        if (!url || !title) return [];
        const published = date(text(e['published']) || text(e['updated']));
        const summary = stripHtml(text(e['summary']) || text(e['content']));
        const tags = arr(e['category'] as Array<Record<string, string>>)
          .map((c) => (typeof c === 'object' ? (c['@term'] ?? '') : String(c)))
          .filter(Boolean);
        return [{ title, url, summary, tags, ...(published ? { published } : {}) }];
      }),
    };
  }
  throw new FeedParseError('not an RSS, Atom or JSON feed');
}
