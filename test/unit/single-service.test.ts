import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDatabase } from '../../src/app/single-service.js';
import { isLecternError } from '../../src/core/index.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function store(): Store {
  const { dir, cleanup } = tempDir();
  const s = Store.open(join(dir, 'l.db'));
  cleanups.push(cleanup, () => s.close());
  return s;
}

const NOW = 1_800_000_000_000;
const running = (s: Store, owner: { pid: number; host: string }, beatAgoMs: number) => {
  s.platformState.set('lectern', 'owner', JSON.stringify(owner), NOW);
  s.platformState.set('lectern', 'heartbeat', String(NOW - beatAgoMs), NOW);
};
const refused = (f: () => void) => {
  try {
    f();
  } catch (err) {
    return isLecternError(err, 'STORE_IN_USE') ? err.message : `other error: ${String(err)}`;
  }
  return 'not refused';
};

describe('one service per database', () => {
  const me = { pid: 4000, host: 'studio-pc' };
  const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

  it('refuses while another live process of this machine heartbeats, naming it', () => {
    const s = store();
    running(s, { pid: 3000, host: 'studio-pc' }, 20_000);
    expect(refused(() => claimDatabase(s, NOW, me, alive([3000])))).toMatch(
      /another Lectern service \(process 3000 on studio-pc\) is running on .*l\.db: it said so 20 s ago/,
    );
    // Nothing was written: the running service stays the owner.
    expect(JSON.parse(s.platformState.get('lectern', 'owner')!)).toEqual({ pid: 3000, host: 'studio-pc' });
  });

  it('goes ahead after a crash (the process is gone), after a clean stop (heartbeat 0), when the heartbeat is old, or when the owner is this process', () => {
    const s = store();
    running(s, { pid: 3000, host: 'studio-pc' }, 20_000);
    expect(refused(() => claimDatabase(s, NOW, me, alive([])))).toBe('not refused');
    expect(JSON.parse(s.platformState.get('lectern', 'owner')!)).toEqual(me);
    running(s, { pid: 3000, host: 'studio-pc' }, 20_000);
    s.platformState.set('lectern', 'heartbeat', '0', NOW);
    expect(refused(() => claimDatabase(s, NOW, me, alive([3000])))).toBe('not refused');
    running(s, { pid: 3000, host: 'studio-pc' }, 4 * 60_000);
    expect(refused(() => claimDatabase(s, NOW, me, alive([3000])))).toBe('not refused');
    // A container restarted in place: the recorded pid is this process's own.
    running(s, me, 5_000);
    expect(refused(() => claimDatabase(s, NOW, me, alive([me.pid])))).toBe('not refused');
  });

  it('trusts the heartbeat alone for a process of another machine, or one that left no owner', () => {
    const s = store();
    running(s, { pid: 3000, host: 'other-box' }, 30_000);
    expect(refused(() => claimDatabase(s, NOW, me, alive([])))).toMatch(/process 3000 on other-box/);
    s.platformState.set('lectern', 'owner', '', NOW);
    expect(refused(() => claimDatabase(s, NOW, me, alive([])))).toMatch(/another process/);
    expect(refused(() => claimDatabase(s, NOW + 3 * 60_000, me, alive([])))).toBe('not refused');
  });
});
