import { addressOf, toError, type EventBus, type PlatformId, type TimerHandle } from '../core/index.js';
import { dataPaths, durations, type Config } from '../config/index.js';
import type { QuestionLog } from '../questions/index.js';
import {
  backUp,
  forgetViewer,
  listBackups,
  pruneBackups,
  resolveViewer,
  viewerById,
  type BackupFile,
  type ForgetOutcome,
  type ForgetReport,
  type Viewer,
} from '../records/index.js';
import type { Store, StreamRow } from '../store/index.js';
import type { BacklogParts } from './backlog.js';
import type { DomainEvents } from './events.js';
import type { Runtime } from './runtime.js';

/** Pages the service copies per turn of the event loop (4 MB of 4 KB pages): chat keeps flowing. */
const PAGES_PER_STEP = 1000;
/** The first scheduled backup waits at least this long after start, so starting stays quick. */
const FIRST_BACKUP_AFTER_MS = 60_000;

/** The streamer's data in the running service: erasing a viewer, and backups on the clock. */
export interface DataParts {
  /** Erases the viewer a streamer names (`lectern forget` through the API). */
  forget(platform: PlatformId, query: string): ForgetOutcome;
  /** Erases the viewer of an account id (a line of the dashboard's chat); `seenAs`: the name chat showed. */
  forgetAccount(platform: PlatformId, id: string, seenAs: string): ForgetReport;
  /** A backup into the backups folder now. */
  backupNow(): Promise<BackupFile>;
  /** Schedules backups (`storage.backup`), once the service runs. */
  start(): void;
  /** Stops scheduling and waits for a backup under way (the database closes after). */
  stop(): Promise<void>;
}

/** Whether a text (a reply of the bot's) addresses one of these names as the bot writes them. */
export function addresses(platform: PlatformId, names: readonly string[]): (text: string) => boolean {
  const patterns = names
    .map((n) => addressOf(platform, { login: n.replace(/^@/, '').toLowerCase(), displayName: n }))
    .filter((a) => a.length > 0)
    .map((a) => new RegExp(`(?:^|[^\\w.-])${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`, 'i'));
  return (text) => patterns.some((p) => p.test(text));
}

/**
 * Forgetting a viewer while the service runs: detected questions still waiting are written first,
 * the store erases the viewer, then what is kept in memory follows (the open questions' index, the
 * backlog's index, who waits for a follow-up, the dashboard's chat), and the dashboard's live queue
 * drops their questions through the question events it already handles. The log says what was
 * removed, never whose. Backups: every `storage.backup.everyHours` on the clock, into `backups/`
 * next to the database, keeping the newest `keep`; a failed one is logged and shown on the
 * dashboard's health.
 */
export function wireData(
  config: Config,
  deps: {
    readonly bus: EventBus<DomainEvents>;
    readonly store: Store;
    readonly rt: Runtime;
    readonly questions: QuestionLog;
    readonly backlog: BacklogParts;
    readonly flushQuestions: () => void;
    readonly stream: () => StreamRow | undefined;
  },
): DataParts {
  const { bus, store, rt } = deps;
  const log = rt.logger.child({ component: 'data' });
  const erase = (viewer: Viewer): ForgetReport => {
    deps.flushQuestions();
    const { report, result } = forgetViewer(store, viewer);
    deps.questions.forgotten(viewer.platform, viewer.id, result.deleted);
    deps.backlog.backlog.invalidate();
    deps.backlog.followUps.refresh();
    const current = deps.stream()?.id;
    for (const q of result.deleted) {
      if (q.streamId === current)
        bus.emit('question', {
          question: { ...q, state: 'removed', text: '', authorId: '', authorName: '', highlighted: false, paid: null },
          change: 'removed',
        });
    }
    for (const [refs, change] of [
      [result.unasked, 'unasked'],
      [result.unvoted, 'unvoted'],
    ] as const) {
      for (const r of refs) {
        const q = r.streamId === current ? store.questions.get(r.id) : undefined;
        if (q) bus.emit('question', { question: q, change });
      }
    }
    if (viewer.id !== null) bus.emit('viewer-forgotten', { platform: viewer.platform, id: viewer.id, names: viewer.names });
    bus.emit('backlog', { change: 'items' });
    if (report.proposals > 0) bus.emit('backlog', { change: 'proposals' });
    const r = report;
    log.info(
      { platform: r.platform, questions: r.questions.length, askerships: r.askerships.length, votes: r.votes, followUps: r.followUps, topics: r.topics },
      'a viewer was forgotten',
    );
    return report;
  };

  const every = durations(config).backupEveryMs;
  const dir = dataPaths(config).backups;
  let timer: TimerHandle | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const backupNow = (): Promise<BackupFile> => {
    const work = backUp(store, { dir }, rt.clock.now(), PAGES_PER_STEP);
    running = work.catch(() => undefined);
    return work;
  };
  const scheduled = async () => {
    timer = undefined;
    try {
      const b = await backupNow();
      const pruned = pruneBackups(dir, config.storage.backup?.keep ?? Infinity);
      log.info({ file: b.file, bytes: b.bytes, pruned: pruned.length }, 'backup written');
    } catch (err) {
      const problem = rt.health.report('backup', err);
      log.error({ code: problem.code, err: toError(err).message }, 'backup failed');
    }
    schedule(every!);
  };
  const schedule = (ms: number) => {
    if (!stopped && every !== undefined) timer = rt.clock.setTimeout(rt.guard('backup', scheduled), ms);
  };

  return {
    forget: (platform, query) => {
      const r = resolveViewer(store, platform, query);
      return r.kind === 'found' ? { kind: 'forgotten', report: erase(r.viewer) } : r;
    },
    forgetAccount: (platform, id, seenAs) => erase(viewerById(store, platform, id, [seenAs])),
    backupNow,
    start: () => {
      if (every === undefined) return;
      // Where the last backup left off: a restart does not postpone the next one by a whole period.
      const last = listBackups(dir).at(-1)?.at ?? -Infinity;
      schedule(Math.max(FIRST_BACKUP_AFTER_MS, last + every - rt.clock.now()));
    },
    stop: async () => {
      stopped = true;
      rt.clock.clearTimeout(timer);
      await running;
    },
  };
}
