import { hostname } from 'node:os';
import { LecternError } from '../core/index.js';
import type { Store } from '../store/index.js';

/** A heartbeat this recent means a service is running (it beats every minute; `healthcheck` and `restore` use the same). */
export const ALIVE_WITHIN_MS = 3 * 60_000;

/** The process that runs the service on a database. */
export interface ServiceOwner {
  readonly pid: number;
  readonly host: string;
}

/** Whether a process of this machine exists (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(value: string | undefined): ServiceOwner | undefined {
  try {
    const o = JSON.parse(value ?? '') as Partial<ServiceOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One service per database: a second `lectern start` on the same database would answer every
 * command twice. A service is taken to run when its heartbeat is fresh and its process is alive
 * (on this machine: the recorded pid exists and is not this process; on another machine, sharing
 * the file, the heartbeat alone tells). After a crash on this machine the pid is gone, so a restart
 * goes ahead at once; in a container restarted in place the pid is this process's own.
 * Throws STORE_IN_USE, before anything is started; otherwise records this process as the owner.
 */
export function claimDatabase(store: Store, now: number, self: ServiceOwner = { pid: process.pid, host: hostname() }, isAlive = processAlive): void {
  store.immediate(() => {
    const beat = Number(store.platformState.get('lectern', 'heartbeat'));
    const fresh = Number.isFinite(beat) && beat > 0 && now - beat < ALIVE_WITHIN_MS;
    const owner = parseOwner(store.platformState.get('lectern', 'owner'));
    const gone = owner !== undefined && owner.host === self.host && (owner.pid === self.pid || !isAlive(owner.pid));
    if (fresh && !gone) {
      const who = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
      throw new LecternError(
        'STORE_IN_USE',
        `another Lectern service (${who}) is running on ${store.path}: it said so ${Math.max(0, Math.round((now - beat) / 1000))} s ago, and two would both answer every command. Stop it first, or give this one its own storage.path.`,
      );
    }
    store.platformState.set('lectern', 'owner', JSON.stringify(self), now);
  });
}
