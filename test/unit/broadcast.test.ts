import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Broadcaster } from '../../src/dashboard/broadcast.js';

/** A socket as the Broadcaster uses it: what was sent, pinged, terminated; `pong()` answers a ping. */
class FakeSocket extends EventEmitter {
  sent: string[] = [];
  pings = 0;
  terminated = false;
  bufferedAmount = 0;
  send(data: Buffer | string) {
    this.sent.push(String(data));
  }
  ping() {
    this.pings++;
  }
  pong() {
    this.emit('pong');
  }
  terminate() {
    this.terminated = true;
    this.emit('close');
  }
  close() {
    this.emit('close');
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Broadcaster heartbeat', () => {
  it('pings every client and tells it the service is alive; a client that did not answer the last ping is dropped', async () => {
    const b = new Broadcaster(5);
    const answers = new FakeSocket();
    const silent = new FakeSocket();
    b.add(answers as unknown as WebSocket);
    b.add(silent as unknown as WebSocket);
    b.heartbeat();
    expect([answers.pings, silent.pings]).toEqual([1, 1]);
    await wait(20);
    expect(JSON.parse(answers.sent[0]!).events).toEqual([{ type: 'alive', at: expect.any(Number), data: null }]);
    answers.pong();
    b.heartbeat();
    expect(silent.terminated).toBe(true);
    expect(answers.terminated).toBe(false);
    expect(answers.pings).toBe(2);
    expect(b.size).toBe(1);
    expect(b.dropped).toBe(1);
  });

  it('sends nothing when nobody listens', async () => {
    const b = new Broadcaster(5);
    b.heartbeat();
    await wait(20);
    expect(b.framesSent).toBe(0);
  });
});
