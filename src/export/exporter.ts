import { LecternError } from '../core/index.js';
import { Store } from '../store/index.js';
import { collectExport, type ExportData } from './data.js';
import { render, type ExportFormat } from './index.js';

/** Which stream session to export: the latest, or one by id. */
export type StreamSelector = 'latest' | number;

/**
 * Reads a stream's data from the database, read-only, so it works while the service runs (WAL
 * lets a reader and the writer work side by side), and renders one format.
 */
export function exportFromDatabase(
  dbPath: string,
  selector: StreamSelector,
  format: ExportFormat,
  vodUrl: ExportData['vodUrl'],
  now: number,
): { text: string; warnings: readonly string[]; streamId: number } {
  const store = Store.openReadOnly(dbPath);
  try {
    const stream = selector === 'latest' ? store.streams.latest() : store.streams.get(selector);
    if (!stream) throw new LecternError('STORE_OPEN_FAILED', selector === 'latest' ? `There is no stream session in ${dbPath} yet` : `There is no stream session ${selector} in ${dbPath}`);
    return { ...render(format, collectExport(store, stream.id, vodUrl, now)), streamId: stream.id };
  } finally {
    store.close();
  }
}
