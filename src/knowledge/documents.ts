/** One thing the index can return: a section of a note, an article from a feed, or a link. */
export interface KnowledgeDoc {
  readonly id: string;
  readonly kind: 'section' | 'article' | 'link';
  /** Where it came from: `notes`, `feed`, `links` (shown in `lectern search`). */
  readonly source: 'notes' | 'feed' | 'links';
  /** Groups documents that are removed together: a note file, a feed URL, the links list. */
  readonly group: string;
  /** What a viewer sees: "Note title › Heading". */
  readonly title: string;
  readonly noteTitle: string;
  readonly heading: string;
  readonly parents: readonly string[];
  readonly tags: readonly string[];
  readonly body: string;
  readonly url: string;
  readonly published?: number;
}

export interface SearchResult {
  readonly title: string;
  readonly url: string;
  readonly source: KnowledgeDoc['source'];
  readonly kind: KnowledgeDoc['kind'];
  readonly score: number;
  readonly doc: KnowledgeDoc;
}
