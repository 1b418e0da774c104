import { parentPort } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { TwitchSim } from '../src/sim/index.js';
import { distinctQuestion } from './ingest.js';

/**
 * The Twitch simulator of the flood bench, in its own thread: like the real Twitch, its work of
 * writing 100,000 lines is not done on the service's event loop.
 */
const sim = new TwitchSim({ validTokens: ['bench-token-123456'], botRole: 'moderator' });
const port = await sim.start();
parentPort!.postMessage({ port });
let frames = 0;
const sockets: WebSocket[] = [];
parentPort!.on('message', async (msg: { lines: number } | { dashboards: number; base: string; token: string } | 'stop') => {
  if (msg === 'stop') {
    for (const s of sockets) s.close();
    await sim.stop();
    parentPort!.postMessage({ stopped: true, frames });
    return;
  }
  if ('dashboards' in msg) {
    // The dashboards are browsers elsewhere: they read their frames in this thread, not the service's.
    await Promise.all(
      Array.from(
        { length: msg.dashboards },
        () =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${msg.base.replace('http', 'ws')}/ws`, { headers: { origin: msg.base, authorization: `Bearer ${msg.token}` } });
            sockets.push(ws);
            ws.on('message', (raw: Buffer) => {
              if (raw.subarray(0, 16).toString() === '{"type":"state",') resolve();
              else frames++;
            });
            ws.on('error', reject);
          }),
      ),
    );
    parentPort!.postMessage('connected');
    return;
  }
  const all: string[] = [];
  for (let i = 0; i < msg.lines; i++) {
    const text = i % 5 === 0 ? distinctQuestion(7_000_000 + i) : `chat line ${i} lol nice`;
    all.push(sim.privmsgLine('bench', { login: `v${i % 5000}` }, text, { id: `f-${i}` }));
  }
  parentPort!.postMessage('ready');
  for (let i = 0; i < all.length; i += 100) {
    sim.broadcast('bench', ...all.slice(i, i + 100));
    if (i % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
  parentPort!.postMessage('sent');
});
