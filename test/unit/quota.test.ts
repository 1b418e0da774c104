import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/index.js';
import { pacificDay, QuotaPlanner, type QuotaLedger } from '../../src/platforms/youtube/index.js';

function memoryLedger(): QuotaLedger & { days: Map<string, { units: number; replyUnits: number }> } {
  const days = new Map<string, { units: number; replyUnits: number }>();
  return {
    days,
    get: (day) => days.get(day) ?? { units: 0, replyUnits: 0 },
    add: (day, units, replyUnits) => {
      const d = days.get(day) ?? { units: 0, replyUnits: 0 };
      days.set(day, { units: d.units + units, replyUnits: d.replyUnits + replyUnits });
    },
  };
}

const COSTS = { list: 5, stream: 5, insert: 20, delete: 20, videos: 1, broadcasts: 1, channels: 1, playlistItems: 1 };
// 09:00 Pacific (16:00 UTC in June): a whole stream fits before the midnight reset.
const MORNING = Date.UTC(2026, 5, 1, 16, 0);

function planner(hours: number, opts: { dailyUnits?: number; replyReserve?: number; start?: number } = {}) {
  const clock = new ManualClock(opts.start ?? MORNING);
  const ledger = memoryLedger();
  const p = new QuotaPlanner({
    dailyUnits: opts.dailyUnits ?? 10_000,
    replyReserve: opts.replyReserve ?? 1_000,
    costs: COSTS,
    plannedStreamMs: hours * 3_600_000,
    clock,
    ledger,
  });
  return { p, clock, ledger };
}

/** Polls as the adapter does for `hours`, with chat at `perMinute`; returns calls and units. */
function simulate(hours: number, perMinute: (tMs: number) => number, minMs = 5_000, usual = 10) {
  const { p, clock, ledger } = planner(hours);
  let calls = 0;
  const end = clock.now() + hours * 3_600_000;
  while (clock.now() < end && p.canRead('list')) {
    p.spend('list');
    calls++;
    clock.advance(p.interval('list', minMs, perMinute(clock.now()), usual));
  }
  return { calls, lastedMs: clock.now() - (end - hours * 3_600_000), used: [...ledger.days.values()][0]!.units, p };
}

describe('QuotaPlanner', () => {
  it('makes an 8-hour stream fit the default quota, keeping the reply reserve', () => {
    const r = simulate(8, () => 10);
    expect(r.lastedMs).toBeGreaterThanOrEqual(8 * 3_600_000);
    expect(r.used).toBeLessThanOrEqual(9_000);
    expect(r.used).toBeGreaterThan(8_000); // and uses what it has: it does not read needlessly slowly
  });

  it('reads faster when chat is busy and slower when quiet, always within budget', () => {
    const busy = planner(4);
    const quiet = planner(4);
    expect(busy.p.interval('list', 0, 30, 10)).toBeLessThan(busy.p.interval('list', 0, 10, 10));
    expect(quiet.p.interval('list', 0, 2, 10)).toBeGreaterThan(quiet.p.interval('list', 0, 10, 10));
    expect(quiet.p.interval('list', 0, 0, 10)).toBeGreaterThan(quiet.p.interval('list', 0, 2, 10));
    // Busy for the first half, quiet after: still within budget for the whole stream.
    const r = simulate(8, (t) => (t < MORNING + 4 * 3_600_000 ? 60 : 0));
    expect(r.lastedMs).toBeGreaterThanOrEqual(8 * 3_600_000);
    expect(r.used).toBeLessThanOrEqual(9_000);
  });

  it('never goes below pollingIntervalMillis', () => {
    const { p } = planner(0.25, { dailyUnits: 1_000_000 });
    expect(p.interval('list', 5_000, 100)).toBe(5_000);
  });

  it('turns replies off once the reply reserve is spent, and keeps it from reads', () => {
    const { p } = planner(4, { replyReserve: 40 });
    expect(p.canReply()).toBe(true);
    p.spend('insert');
    p.spend('insert');
    expect(p.canReply()).toBe(false);
    expect(p.status(10_000).replyExhausted).toBe(true);
    const { p: q } = planner(4, { dailyUnits: 100, replyReserve: 60 });
    for (let i = 0; i < 8; i++) q.spend('list');
    expect(q.canRead('list')).toBe(false); // 40 used, 60 reserved
    expect(q.canReply()).toBe(true);
  });

  it('after quotaExceeded, waits for the reset at midnight Pacific', () => {
    const { p, clock } = planner(4);
    p.exhausted();
    expect(p.canRead('list')).toBe(false);
    const wait = p.msUntilReset();
    expect(p.interval('list', 5_000, 0)).toBe(wait);
    clock.advance(wait + 1);
    expect(p.canRead('list')).toBe(true);
    expect(p.status(5_000).used).toBe(0);
  });

  it('knows the Pacific quota day, across daylight saving', () => {
    expect(pacificDay(Date.UTC(2026, 5, 1, 6, 59))).toMatchObject({ day: '2026-05-31', resetsAt: Date.UTC(2026, 5, 1, 7, 0) });
    expect(pacificDay(Date.UTC(2026, 5, 1, 7, 0)).day).toBe('2026-06-01');
    expect(pacificDay(Date.UTC(2026, 0, 15, 7, 59)).day).toBe('2026-01-14');
    expect(pacificDay(Date.UTC(2026, 0, 15, 8, 0)).day).toBe('2026-01-15');
  });

  it('reports used, remaining and projected time left', () => {
    const { p } = planner(4);
    p.spend('list');
    const s = p.status(10_000);
    expect(s).toMatchObject({ used: 5, remaining: 9_995, dailyUnits: 10_000 });
    expect(s.projectedMsLeft).toBe(Math.round(((9_995 - 1_000) / 5) * 10_000));
  });
});
