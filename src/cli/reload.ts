import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { App } from '../app/index.js';
import { toError, type Logger } from '../core/index.js';
import { readConfig, type Io } from './io.js';

/** Editors write a file in bursts (truncate, write, rename): read it once they are done. */
const SETTLE_MS = 300;

/**
 * Reads the config again on SIGHUP and whenever the file changes (watched through its folder, so
 * an editor that replaces the file is seen too). It is validated as at start: a valid config is
 * applied to the running bot (`App.reload`), an invalid one is refused with every problem in the
 * log and on the dashboard, and the running config stays. Returns what stops watching.
 */
export function watchConfig(path: string, io: Io, app: App, log: Logger): () => void {
  const full = resolve(path);
  let lastText = read(full);
  let timer: NodeJS.Timeout | undefined;
  const reload = (why: 'SIGHUP' | 'file changed') => {
    const r = readConfig(full, io.env);
    if (!r.ok) {
      log.warn({ why, problems: r.problems.length }, 'the edited config is not valid; the running config stays');
      app.rejectConfig(r.problems);
      return;
    }
    log.info({ why }, 'reading the config again');
    app.reload(r.config).catch((err: unknown) => log.error({ err: toError(err) }, 'config reload failed'));
  };
  const onHup = () => {
    lastText = read(full);
    reload('SIGHUP');
  };
  process.on('SIGHUP', onHup);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(full), (_event, name) => {
      if (name !== null && String(name) !== basename(full)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const text = read(full);
        // Saved without a change (or several events for one save), or gone for a moment while an
        // editor replaces it: nothing to do (SIGHUP still reads it, and says when it cannot).
        if (text === lastText || text === undefined) return;
        lastText = text;
        reload('file changed');
      }, SETTLE_MS);
    });
    watcher.on('error', (err) => log.warn({ err: toError(err).message }, 'cannot watch the config file; SIGHUP still reloads it'));
  } catch (err) {
    log.warn({ err: toError(err).message }, 'cannot watch the config file; SIGHUP still reloads it');
  }
  return () => {
    process.off('SIGHUP', onHup);
    watcher?.close();
    clearTimeout(timer);
  };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
