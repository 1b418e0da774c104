import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { sameSecret } from '../../src/dashboard/index.js';
import { startHarness, untilClock, viewer, type Harness } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('security', () => {
  it('the dashboard listens on loopback by default', async () => {
    const r = parseConfig('twitch: { channel: t }', {});
    expect(r.ok && r.config.dashboard.host).toBe('127.0.0.1');
    h = await startHarness({ dashboardToken: 'a-long-enough-dashboard-token-123', extraYaml: 'dashboard: { port: 0 }\n' });
    expect(new URL(h.app.dashboard!.url).hostname).toBe('127.0.0.1');
  });

  it('compares tokens in constant time, whatever their lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcdef-longer')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });

  it('the bot never posts what a viewer wrote, whatever command it comes with', async () => {
    h = await startHarness({ extraYaml: 'knowledge:\n  links: [{ title: "Study group", url: "https://discord.example/x", tags: [community] }]\n' });
    const x = h;
    const markers: string[] = [];
    const commands = ['!help', '!commands', '!notes', '!links', '!article', '!q', '!ask', '!up', '!topic', '!questions', '!answered', '!nosuch'];
    let i = 0;
    for (const c of commands) {
      for (const shape of ['plain', 'markup', 'url']) {
        const m = `zq${randomBytes(5).toString('hex')}`;
        markers.push(m);
        const arg = shape === 'plain' ? m : shape === 'markup' ? `<b>${m}</b>` : `https://${m}.example/`;
        x.sim.chat('teacher', viewer(`sec${i++}`), `${c} ${arg}`);
      }
    }
    await untilClock(x.clock, () => x.app.bot.stats.processed === commands.length * 3, 'all read', 10_000);
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.pending === 0, 'drained', 20_000, 500);
    const stats = x.app.outboxes.get('twitch')!.stats;
    // Every command that answers did (nosuch, and !answered from a viewer, stay silent).
    expect(stats.repliesDelivered).toBeGreaterThanOrEqual(25);
    for (const sent of x.sim.sent) for (const m of markers) expect(sent.text).not.toContain(m);
  });
});
