import { afterEach, describe, expect, it } from 'vitest';
import { advance, startHarness, until, viewer, type Harness } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Twitch chat end to end (real tmi.js against the simulator)', () => {
  it('answers !help in a thread under the viewer message', async () => {
    h = await startHarness();
    const id = h.sim.chat('teacher', viewer('alice'), '!help');
    await until(() => h!.sim.sent.length === 1, 'reply');
    const [sent] = h.sim.sent;
    expect(sent!.text).toMatch(/^@alice Commands: !help/);
    expect(sent!.replyTo).toBe(id);
    expect(h.app.statuses()[0]).toMatchObject({ state: 'connected', canSend: true });
  });
});
