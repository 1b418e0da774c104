export { KnowledgeBase, type KnowledgeOptions, type KnowledgeStats, type FeedSource, type StaticLink, type FeedStatus } from './knowledge-base.js';
export { SearchIndex, FIELD_BOOST, type SearchOptions } from './search-index.js';
export type { KnowledgeDoc, SearchResult } from './documents.js';
export { parseNote, headingText, type ParsedNote, type NoteSection } from './markdown.js';
export { parseFeed, decodeFeed, stripHtml, FeedParseError, type Article, type ParsedFeed } from './feeds.js';
export { listNotes, noteDocuments, noteUrl, globToRegExp, type NotesFolder } from './notes-source.js';
export { notesCommand, articleCommand, linksCommand } from './commands.js';
