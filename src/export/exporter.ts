import { LecternError } from '../core/index.js';
import { Store } from '../store/index.js';
import { collectExport, type ExportData, type ExportExtras } from './data.js';
import { render, type ExportFormat } from './index.js';

/** Which stream session to export: the latest, or one by id. */
export type StreamSelector = 'latest' | number;

export interface ExportedStream {
  readonly text: string;
  readonly warnings: readonly string[];
  readonly streamId: number;
}

/**
 * Reads stream sessions from the database, read-only, so it works while the service runs (WAL
 * lets a reader and the writer work side by side), and renders one format of each: one session,
 * or every session (`'all'`), oldest first. `extras(store)` adds what the database alone does not
 * hold (the note section of each question, the post that answers it).
 */
export function exportFromDatabase(
  dbPath: string,
  selector: StreamSelector | 'all',
  format: ExportFormat,
  vodUrl: ExportData['vodUrl'],
  now: number,
  extras: (store: Store) => ExportExtras = () => ({}),
): ExportedStream[] {
  const store = Store.openReadOnly(dbPath);
  try {
    const ids =
      selector === 'all'
        ? store.streams
            .summaries()
            .map((s) => s.id)
            .reverse()
        : [(selector === 'latest' ? store.streams.latest() : store.streams.get(selector))?.id].filter((id): id is number => id !== undefined);
    if (ids.length === 0)
      throw new LecternError(
        'STORE_OPEN_FAILED',
        selector === 'latest' || selector === 'all' ? `There is no stream session in ${dbPath} yet` : `There is no stream session ${selector} in ${dbPath}`,
      );
    const x = extras(store);
    return ids.map((id) => ({ ...render(format, collectExport(store, id, vodUrl, now, x)), streamId: id }));
  } finally {
    store.close();
  }
}
