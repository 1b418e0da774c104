import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';
import { Backoff, LecternError, toError, type Clock, type Guard, type Health, type Logger, type TimerHandle } from '../core/index.js';
import type { KnowledgeDoc, SearchResult } from './documents.js';
import { decodeFeed, parseFeed, type Article } from './feeds.js';
import { listNotes, makeFilter, noteDocuments, type NotesFolder } from './notes-source.js';
import { SearchIndex, type SearchOptions } from './search-index.js';

export interface FeedSource {
  readonly url: string;
  readonly name?: string;
}

export interface StaticLink {
  readonly title: string;
  readonly url: string;
  readonly tags?: readonly string[];
}

export interface KnowledgeOptions {
  readonly notes: readonly NotesFolder[];
  readonly feeds: readonly FeedSource[];
  readonly links: readonly StaticLink[];
  /** Where fetched feeds are kept, so a restart without network still answers. */
  readonly cacheDir: string;
  readonly feedRefreshMs: number;
  readonly feedTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  readonly fetch?: typeof fetch;
  /** Called (debounced) with a note's title when the streamer saves it. */
  readonly onNoteSaved?: (title: string, rel: string) => void;
  /** A feed's articles were loaded (from the cache, or fetched): the backlog looks for new posts. */
  readonly onArticles?: (articles: ReadonlyArray<{ readonly title: string; readonly url: string }>, feedUrl: string) => void;
}

export interface FeedStatus {
  readonly url: string;
  readonly articles: number;
  readonly fetchedAt: number | null;
  readonly error?: string;
}

export interface KnowledgeStats {
  readonly notes: number;
  readonly sections: number;
  readonly articles: number;
  readonly links: number;
  readonly failedFiles: ReadonlyArray<{ readonly file: string; readonly error: string }>;
  readonly feeds: readonly FeedStatus[];
}

const WATCH_DEBOUNCE_MS = 150;
const FOLLOW_DEBOUNCE_MS = 2_000;

/**
 * The streamer's notes, articles and links behind one search index: notes read at start and
 * re-indexed file by file when they change; feeds fetched at start and periodically, cached on
 * disk, with backoff; a bad note or feed is reported, never fatal.
 */
export class KnowledgeBase {
  readonly index = new SearchIndex();
  private readonly failed = new Map<string, string>();
  private readonly feedState = new Map<string, { articles: number; fetchedAt: number | null; error?: string; backoff: Backoff; timer?: TimerHandle }>();
  private readonly watchers: FSWatcher[] = [];
  private readonly pending = new Map<string, TimerHandle>();
  private followTimer: TimerHandle | undefined;
  private readonly noteFiles = new Set<string>();
  /** Changes whenever what is indexed changes (a note re-indexed, a feed's articles): caches of matches start over. */
  generation = 0;
  private readonly articleTitles = new Map<string, string>();
  private stopped = false;
  private readonly log: Logger;

  constructor(private opts: KnowledgeOptions) {
    this.log = opts.logger.child({ component: 'knowledge' });
  }

  /** Loads notes, links and cached feeds (synchronously), then starts watchers and feed fetches. */
  start(options: { watch?: boolean; fetchFeeds?: boolean } = {}): void {
    this.stopped = false;
    this.loadAll();
    if (options.watch !== false) this.startWatchers();
    if (options.fetchFeeds !== false) for (const f of this.opts.feeds) void this.refreshFeed(f);
  }

  /**
   * New sources (a config reload): what the old ones brought leaves the index, and everything is
   * read again from the new ones, watchers and feed fetches included.
   */
  reconfigure(sources: Pick<KnowledgeOptions, 'notes' | 'feeds' | 'links' | 'feedRefreshMs' | 'feedTimeoutMs'>): void {
    this.stop();
    for (const group of this.noteFiles) this.index.removeGroup(group);
    for (const f of this.opts.feeds) this.index.removeGroup(`feed:${f.url}`);
    this.noteFiles.clear();
    this.failed.clear();
    this.feedState.clear();
    this.opts = { ...this.opts, ...sources };
    this.start();
  }

  /** Everything that is local: notes, static links and the feed cache. */
  loadAll(): void {
    for (const folder of this.opts.notes) {
      let files: string[] = [];
      try {
        files = listNotes(folder);
      } catch (err) {
        this.failed.set(folder.dir, `cannot read the folder: ${toError(err).message}`);
        this.opts.health.report('knowledge', new LecternError('INTERNAL', `Notes folder ${folder.dir} cannot be read`, { cause: err }));
        continue;
      }
      for (const rel of files) this.indexNote(folder, rel);
    }
    this.index.replaceGroup(
      'links',
      this.opts.links.map((l, i) => linkDoc(l, i)),
    );
    for (const f of this.opts.feeds) this.loadCachedFeed(f);
  }

  private indexNote(folder: NotesFolder, rel: string): KnowledgeDoc[] | undefined {
    const group = `notes:${folder.dir}:${rel}`;
    this.generation++;
    try {
      const docs = noteDocuments(folder, rel);
      this.index.replaceGroup(group, docs);
      this.failed.delete(`${folder.dir}${sep}${rel}`);
      this.noteFiles.add(group);
      return docs;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      this.index.removeGroup(group);
      this.noteFiles.delete(group);
      if (code !== 'ENOENT') this.failed.set(`${folder.dir}${sep}${rel}`, toError(err).message);
      return undefined;
    }
  }

  private startWatchers(): void {
    for (const folder of this.opts.notes) {
      if (!existsSync(folder.dir)) continue;
      const keep = makeFilter(folder);
      try {
        const w = watch(
          folder.dir,
          { recursive: true },
          this.opts.guard('knowledge.watch', (_event: string, name: string | Buffer | null) => {
            if (!name) return;
            const rel = String(name).split(sep).join('/');
            if (!keep(rel)) return;
            this.scheduleReindex(folder, rel);
          }),
        );
        w.on('error', (err) => this.opts.health.report('knowledge.watch', err));
        this.watchers.push(w);
      } catch (err) {
        this.opts.health.report('knowledge.watch', err);
      }
    }
  }

  /** Editors write files in bursts; each file is re-indexed once the burst is over. */
  scheduleReindex(folder: NotesFolder, rel: string): void {
    const key = `${folder.dir}:${rel}`;
    this.opts.clock.clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      this.opts.clock.setTimeout(
        this.opts.guard('knowledge.reindex', () => {
          this.pending.delete(key);
          if (this.stopped) return;
          const started = performance.now();
          const docs = this.indexNote(folder, rel);
          this.log.debug({ file: rel, ms: Math.round(performance.now() - started), sections: docs?.length ?? 0 }, 'note re-indexed');
          const title = docs?.[0]?.noteTitle;
          if (title && this.opts.onNoteSaved) {
            this.opts.clock.clearTimeout(this.followTimer);
            this.followTimer = this.opts.clock.setTimeout(
              this.opts.guard('knowledge.follow', () => this.opts.onNoteSaved!(title, rel)),
              FOLLOW_DEBOUNCE_MS,
            );
          }
        }),
        WATCH_DEBOUNCE_MS,
      ),
    );
  }

  private cachePath(url: string): string {
    return join(this.opts.cacheDir, `${createHash('sha1').update(url).digest('hex').slice(0, 16)}.json`);
  }

  private useArticles(feed: FeedSource, articles: readonly Article[]): void {
    this.index.replaceGroup(
      `feed:${feed.url}`,
      articles.map((a, i) => articleDoc(feed, a, i)),
    );
    for (const a of articles) this.articleTitles.set(a.url, a.title);
    if (this.opts.onArticles) this.opts.guard('knowledge.articles', this.opts.onArticles)(articles, feed.url);
    this.generation++;
  }

  private loadCachedFeed(feed: FeedSource): void {
    const path = this.cachePath(feed.url);
    const state = this.feedState.get(feed.url) ?? { articles: 0, fetchedAt: null, backoff: new Backoff({ initialMs: 30_000, maxMs: this.opts.feedRefreshMs }) };
    this.feedState.set(feed.url, state);
    if (!existsSync(path)) return;
    try {
      const cached = JSON.parse(readFileSync(path, 'utf8')) as { fetchedAt: number; articles: Article[] };
      this.useArticles(feed, cached.articles);
      state.articles = cached.articles.length;
      state.fetchedAt = cached.fetchedAt;
    } catch (err) {
      state.error = `cache unreadable: ${toError(err).message}`;
    }
  }

  /** Fetches one feed now; on failure keeps what it had and retries with backoff. */
  async refreshFeed(feed: FeedSource): Promise<void> {
    const state = this.feedState.get(feed.url)!;
    this.opts.clock.clearTimeout(state.timer);
    let next = this.opts.feedRefreshMs;
    try {
      const res = await (this.opts.fetch ?? fetch)(feed.url, {
        signal: AbortSignal.timeout(this.opts.feedTimeoutMs),
        headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, */*' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = decodeFeed(new Uint8Array(await res.arrayBuffer()), res.headers.get('content-type') ?? undefined);
      const parsed = parseFeed(body, feed.url);
      // Stopped, or the feed left the config while it was fetched.
      if (this.stopped || !this.opts.feeds.some((f) => f.url === feed.url)) return;
      this.useArticles(feed, parsed.articles);
      mkdirSync(this.opts.cacheDir, { recursive: true });
      const fetchedAt = this.opts.clock.now();
      writeFileSync(this.cachePath(feed.url), JSON.stringify({ url: feed.url, fetchedAt, articles: parsed.articles }));
      state.articles = parsed.articles.length;
      state.fetchedAt = fetchedAt;
      delete state.error;
      state.backoff.reset();
    } catch (err) {
      state.error = toError(err).message;
      next = state.backoff.next();
      this.opts.health.report('knowledge.feed', new LecternError('INTERNAL', `Feed ${feed.url} failed: ${state.error}`, { cause: err }));
      this.log.warn({ feed: feed.url, error: state.error, retryInMs: next }, 'feed failed; keeping the cached articles');
    }
    if (!this.stopped)
      state.timer = this.opts.clock.setTimeout(
        this.opts.guard('knowledge.feed', () => this.refreshFeed(feed)),
        next,
      );
  }

  search(query: string, opts?: SearchOptions): SearchResult[] {
    return this.index.search(query, opts);
  }

  /** The title of a feed article by its URL, if a feed has it. */
  articleTitle(url: string): string | undefined {
    return this.articleTitles.get(url);
  }

  /** The newest article of the feeds, for `!article` without words. */
  latestArticle(): SearchResult | undefined {
    return this.index.newest('article');
  }

  stats(): KnowledgeStats {
    return {
      notes: this.noteFiles.size,
      sections: this.index.count('section'),
      articles: this.index.count('article'),
      links: this.index.count('link'),
      failedFiles: [...this.failed.entries()].map(([file, error]) => ({ file, error })),
      feeds: this.opts.feeds.map((f) => {
        const s = this.feedState.get(f.url);
        return { url: f.url, articles: s?.articles ?? 0, fetchedAt: s?.fetchedAt ?? null, ...(s?.error ? { error: s.error } : {}) };
      }),
    };
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watchers.splice(0)) w.close();
    for (const t of this.pending.values()) this.opts.clock.clearTimeout(t);
    this.pending.clear();
    this.opts.clock.clearTimeout(this.followTimer);
    for (const s of this.feedState.values()) this.opts.clock.clearTimeout(s.timer);
  }
}

function linkDoc(l: StaticLink, i: number): KnowledgeDoc {
  return {
    id: `links#${i}`,
    kind: 'link',
    source: 'links',
    group: 'links',
    title: l.title,
    noteTitle: l.title,
    heading: '',
    parents: [],
    tags: [...(l.tags ?? [])],
    body: '',
    url: l.url,
  };
}

function articleDoc(feed: FeedSource, a: Article, i: number): KnowledgeDoc {
  return {
    id: `feed:${feed.url}#${i}`,
    kind: 'article',
    source: 'feed',
    group: `feed:${feed.url}`,
    title: a.title,
    noteTitle: a.title,
    heading: '',
    parents: [],
    tags: [...a.tags],
    body: a.summary.slice(0, 5_000),
    url: a.url,
    ...(a.published ? { published: a.published } : {}),
  };
}
